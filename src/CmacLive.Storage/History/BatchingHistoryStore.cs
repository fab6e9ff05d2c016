using System.Threading.Channels;
using CmacLive.History;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Storage.History;

/// <summary>
/// Group commit for history: appends queue here and one writer takes everything queued, writes it as a
/// single batch and completes every waiting append once the batch is committed. While a batch is being
/// written the next one gathers, so batches grow with load and no append waits for a timer. When the
/// database is unreachable the writer keeps retrying the same batch and its appends stay incomplete, so
/// nothing is acknowledged that is not stored; further appends are refused at once with
/// <see cref="HistoryUnavailableException"/> until a write succeeds again, so devices hear "not stored"
/// at once instead of after a call timeout, and grains do not pile up calls behind the outage.
/// </summary>
public sealed partial class BatchingHistoryStore(IHistorySink sink, ILogger<BatchingHistoryStore> logger) : BackgroundService, IHistoryStore
{
    private const int MaxBatch = 2000;
    private const int QueueCapacity = 50_000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private long _batches;
    private long _records;
    private volatile bool _failing;

    /// <summary>False while the last attempt to write failed.</summary>
    public bool IsHealthy => !_failing;

    public (long Batches, long Records) Written => (Interlocked.Read(ref _batches), Interlocked.Read(ref _records));

    public Task AppendAsync(FixRecord fix) => EnqueueAsync(new Pending(fix, null));

    public Task AppendAsync(EventRecord record) => EnqueueAsync(new Pending(null, record));

    public Task<IReadOnlyList<TrackPoint>> ReadTrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        sink.ReadTrackAsync(assetId, from, to, limit, cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(string assetId, string kind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        sink.ReadEventsAsync(assetId, kind, from, to, limit, cancellationToken);

    private async Task EnqueueAsync(Pending pending)
    {
        if (_failing)
        {
            throw new HistoryUnavailableException();
        }

        await _queue.Writer.WriteAsync(pending);
        await pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        var fixes = new List<FixRecord>(MaxBatch);
        var events = new List<EventRecord>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                    if (pending.Fix is { } fix)
                    {
                        fixes.Add(fix);
                    }
                    else
                    {
                        events.Add(pending.Event!);
                    }
                }

                await WriteWithRetryAsync(fixes, events, stoppingToken);
                foreach (var done in batch)
                {
                    done.Done.TrySetResult();
                }

                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _records, batch.Count);
                batch.Clear();
                fixes.Clear();
                events.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever was not written is not acknowledged either.
            foreach (var left in batch)
            {
                left.Done.TrySetCanceled(stoppingToken);
            }
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

    private sealed record Pending(FixRecord? Fix, EventRecord? Event)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(LogLevel.Error, "History batch of {Count} records could not be written; retrying in {Delay}")]
    private partial void LogWriteFailed(Exception ex, int count, TimeSpan delay);

    [LoggerMessage(LogLevel.Warning, "History writes succeed again")]
    private partial void LogRecovered();
}
