using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using CmacLive.History;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Storage.History;

/// <summary>
/// Group commit for history: appends queue here and one writer takes everything queued, writes it (in batches of at most
/// <see cref="MaxBatch"/>) and then completes every waiting append at once, one completion per round for all of them.
/// While a round is being written the next one gathers, so rounds grow with load and no append waits for a timer. An append
/// queues its record first and then takes the round's completion; the writer swaps the completion first and then takes
/// the queue, so an append is never told "stored" before its record is (at worst it waits one round more). When the
/// database is unreachable the writer keeps retrying the same round and its appends stay incomplete, so nothing is
/// acknowledged that is not stored; further appends are refused at once with <see cref="HistoryUnavailableException"/>
/// until a write succeeds again, so devices hear "not stored" at once instead of after a call timeout, and grains do not
/// pile up calls behind the outage. Each grain awaits its append before the next, so the queue holds at most one record
/// per grain and connection.
/// </summary>
/// <remarks>
/// Meter <c>CmacLive.History</c>: <c>cmaclive.history.batch.size</c> (records a batch wrote) and
/// <c>cmaclive.history.batch.duration</c> (seconds its write took, retries included). An append made inside a trace
/// gets a <see cref="Tracing.HistoryAppend"/> span that ends when its record is stored.
/// </remarks>
public sealed partial class BatchingHistoryStore(IHistorySink sink, IMeterFactory meters, ILogger<BatchingHistoryStore> logger) : BackgroundService, IHistoryStore
{
    public const string MeterName = "CmacLive.History";

    private const int MaxBatch = 2000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly ConcurrentQueue<FixRecord> _fixes = new();
    private readonly ConcurrentQueue<EventRecord> _events = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private readonly Histogram<int> _batchSize = meters.Create(MeterName).CreateHistogram("cmaclive.history.batch.size", "{record}",
        "Records written by one history batch", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] });

    private readonly Histogram<double> _batchDuration = meters.Create(MeterName).CreateHistogram("cmaclive.history.batch.duration", "s",
        "How long one history batch took to write, retries included",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10] });

    private TaskCompletionSource _round = NewRound();
    private long _batches;
    private long _records;
    private volatile bool _failing;

    /// <summary>False while the last attempt to write failed.</summary>
    public bool IsHealthy => !_failing;

    public (long Batches, long Records) Written => (Interlocked.Read(ref _batches), Interlocked.Read(ref _records));

    public Task AppendAsync(FixRecord fix)
    {
        if (_failing)
        {
            return Task.FromException(new HistoryUnavailableException());
        }

        _fixes.Enqueue(fix);
        return Traced(Joined(), FixKind);
    }

    public Task AppendAsync(EventRecord record)
    {
        if (_failing)
        {
            return Task.FromException(new HistoryUnavailableException());
        }

        _events.Enqueue(record);
        return Traced(Joined(), record.Kind);
    }

    public Task<IReadOnlyList<TrackPoint>> ReadTrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        sink.ReadTrackAsync(assetId, from, to, limit, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(string assetId, string kind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        sink.ReadEventsAsync(assetId, kind, from, to, limit, cancellationToken);

    /// <summary>The completion of the round that will take a record queued before this call (or of a later one).</summary>
    private Task Joined()
    {
        var round = Volatile.Read(ref _round).Task;
        _wake.Writer.TryWrite(true);
        return round;
    }

    /// <summary>The kind a fix's append span is tagged with (an event's is the event's own kind).</summary>
    private const string FixKind = "fix";

    /// <summary>
    /// Inside a traced uplink, a span until the record is stored, tagged with what is stored (<c>fix</c>, or an event's
    /// kind: one uplink may store a fix and events beside it); otherwise the round's completion itself.
    /// </summary>
    private static Task Traced(Task stored, string kind) =>
        Activity.Current is null || !Tracing.Source.HasListeners() ? stored : TracedAsync(stored, kind);

    private static async Task TracedAsync(Task stored, string kind)
    {
        using var span = Tracing.Source.StartActivity(Tracing.HistoryAppend);
        span?.SetTag("cmaclive.history.kind", kind);
        try
        {
            await stored;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    private static TaskCompletionSource NewRound() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var fixes = new List<FixRecord>(MaxBatch);
        var events = new List<EventRecord>();
        TaskCompletionSource? round = null;
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stoppingToken))
            {
                _wake.Reader.TryRead(out _);

                // The round's completion first, then everything queued: whoever took this completion queued before the swap.
                // A round is completed even when it finds nothing: its appends' records may have gone in the round before
                // (queued before that swap, the completion taken after it), and nothing else would complete it.
                round = Interlocked.Exchange(ref _round, NewRound());
                bool more;
                do
                {
                    while (fixes.Count + events.Count < MaxBatch && _fixes.TryDequeue(out var fix))
                    {
                        fixes.Add(fix);
                    }

                    while (fixes.Count + events.Count < MaxBatch && _events.TryDequeue(out var record))
                    {
                        events.Add(record);
                    }

                    more = fixes.Count + events.Count == MaxBatch;
                    if (fixes.Count + events.Count > 0)
                    {
                        var started = Stopwatch.GetTimestamp();
                        await WriteWithRetryAsync(fixes, events, stoppingToken);
                        _batchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                        _batchSize.Record(fixes.Count + events.Count);
                        Interlocked.Increment(ref _batches);
                        Interlocked.Add(ref _records, fixes.Count + events.Count);
                    }

                    fixes.Clear();
                    events.Clear();
                }
                while (more); // until the queue was seen empty: every record queued before the swap is written

                round.TrySetResult();
                round = null;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever was not written is not acknowledged either.
            round?.TrySetCanceled(stoppingToken);
            Volatile.Read(ref _round).TrySetCanceled(stoppingToken);
        }
    }

    private async Task WriteWithRetryAsync(List<FixRecord> fixes, List<EventRecord> events, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await sink.WriteAsync(fixes, events, stoppingToken);
                if (_failing)
                {
                    _failing = false;
                    LogRecovered();
                }

                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _failing = true;
                LogWriteFailed(ex, fixes.Count + events.Count, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "History batch of {Count} records could not be written; retrying in {Delay}")]
    private partial void LogWriteFailed(Exception ex, int count, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "History writes succeed again")]
    private partial void LogRecovered();
}
