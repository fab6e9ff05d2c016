using System.Collections.Concurrent;

namespace CmacLive.Throttling;

/// <summary>
/// Failures per key (a user name, an address) on this silo: after <c>limit</c> failures within a minute the key is
/// refused for <c>backoff</c>, twice as long after each further refusal, at most <c>maxBackoff</c>; forgetting the key
/// (a success) starts it afresh. At most <c>capacity</c> keys are remembered: when full, keys not refused now go first,
/// oldest first. Counting and checking happen under the key's own lock, so attempts sent at once cannot slip past.
/// </summary>
public class FailureLimiter(int limit, TimeSpan backoff, TimeSpan maxBackoff, int capacity, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Record> _keys = new(StringComparer.Ordinal);

    private sealed class Record(TimeSpan backoff)
    {
        public readonly Lock Gate = new();
        public readonly Queue<DateTimeOffset> Failures = new();
        public DateTimeOffset BlockedUntil;
        public TimeSpan NextBackoff = backoff;
        public DateTimeOffset LastSeen;
    }

    /// <summary>How long the key is still refused, or null.</summary>
    public TimeSpan? Blocked(string key)
    {
        if (!_keys.TryGetValue(key, out var record))
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (record.Gate)
        {
            return record.BlockedUntil > now ? record.BlockedUntil - now : null;
        }
    }

    /// <summary>
    /// How long the key is still refused; or, when it may try, null, and the attempt counted as a failure already
    /// (before the slow check it stands for), which <see cref="Forget"/> takes back on success.
    /// </summary>
    public TimeSpan? Begin(string key) => Count(key, refuseWhileBlocked: true, out _);

    /// <summary>Counts a failure; true when it started a back-off.</summary>
    public bool Failed(string key)
    {
        Count(key, refuseWhileBlocked: false, out var started);
        return started;
    }

    public void Forget(string key) => _keys.TryRemove(key, out _);

    private TimeSpan? Count(string key, bool refuseWhileBlocked, out bool startedBackoff)
    {
        startedBackoff = false;
        if (_keys.Count >= capacity && !_keys.ContainsKey(key))
        {
            MakeRoom();
        }

        var record = _keys.GetOrAdd(key, _ => new Record(backoff));
        var now = time.GetUtcNow();
        lock (record.Gate)
        {
            if (refuseWhileBlocked && record.BlockedUntil > now)
            {
                return record.BlockedUntil - now;
            }

            record.LastSeen = now;
            record.Failures.Enqueue(now);
            while (record.Failures.Count > 0 && now - record.Failures.Peek() > Window)
            {
                record.Failures.Dequeue();
            }

            if (record.Failures.Count >= limit)
            {
                record.BlockedUntil = now + record.NextBackoff;
                record.NextBackoff = TimeSpan.FromTicks(Math.Min(record.NextBackoff.Ticks * 2, maxBackoff.Ticks));
                record.Failures.Clear();
                startedBackoff = true;
            }

            return null;
        }
    }

    /// <summary>Down to three quarters of the capacity: the keys not refused now first, then the oldest.</summary>
    private void MakeRoom()
    {
        var now = time.GetUtcNow();
        var oldestFirst = _keys.ToArray().OrderBy(p => p.Value.BlockedUntil > now).ThenBy(p => p.Value.LastSeen);
        foreach (var (key, _) in oldestFirst.Take(Math.Max(0, _keys.Count - capacity * 3 / 4)))
        {
            _keys.TryRemove(key, out _);
        }
    }
}
