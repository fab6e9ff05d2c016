namespace CmacLive.Throttling;

/// <summary>
/// A token bucket: <c>rate</c> tokens a second flow in, at most <c>burst</c> are kept, and each message takes one.
/// Times are timestamps of <see cref="TimeProvider.GetTimestamp"/> (any monotonic clock with its frequency), so the
/// rule can be tested without waiting. Safe to call from several threads; one bucket is rarely contended.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _perTick;
    private readonly double _burst;
    private readonly Lock _gate = new();
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, double burst, long now, long ticksPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _perTick = ratePerSecond / ticksPerSecond;
        _burst = burst;
        _tokens = burst;
        _last = now;
    }

    /// <summary>Takes one token if there is one.</summary>
    public bool TryTake(long now)
    {
        lock (_gate)
        {
            if (now > _last)
            {
                _tokens = Math.Min(_burst, _tokens + (now - _last) * _perTick);
                _last = now;
            }

            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
