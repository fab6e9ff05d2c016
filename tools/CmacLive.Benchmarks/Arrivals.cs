namespace CmacLive.Benchmarks;

/// <summary>
/// What reached one receiver of the ingest benchmark (the relay's subscriber, a dashboard): the newest fix time of each
/// device of the load, and each arrival's latency from the fix's device time.
/// </summary>
public sealed class Arrivals(int devices)
{
    private readonly long[] _newest = new long[devices];
    private readonly Lock _lock = new();
    private List<double> _latencies = [];

    /// <summary>A fix of the device numbered <paramref name="index"/>, timed <paramref name="ts"/> (Unix ms), arrived now.</summary>
    public void Note(int index, long ts)
    {
        var latency = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - ts;
        if ((uint)index >= (uint)_newest.Length)
        {
            return;
        }

        if (ts > Volatile.Read(ref _newest[index]))
        {
            Volatile.Write(ref _newest[index], ts);
        }

        lock (_lock)
        {
            _latencies.Add(latency);
        }
    }

    /// <summary>Whether the newest fix of each device arrived.</summary>
    public bool HasNewest(IReadOnlyList<LoadDevice> devices) => devices.All(d => Volatile.Read(ref _newest[d.Index]) >= d.LastTs);

    /// <summary>The latencies (ms) noted since the last call.</summary>
    public List<double> TakeLatencies()
    {
        lock (_lock)
        {
            var taken = _latencies;
            _latencies = [];
            return taken;
        }
    }
}
