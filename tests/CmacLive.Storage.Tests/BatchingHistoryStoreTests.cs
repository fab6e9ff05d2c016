using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CmacLive.History;
using CmacLive.Storage.History;
using CmacLive.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CmacLive.Storage.Tests;

/// <summary>Group commit on a real SQLite file: no append is told "stored" before its record is.</summary>
public sealed class BatchingHistoryStoreTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cmaclive-history-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly SqliteWriteGate _gate = new();

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "cmaclive.db")}";

    public Task InitializeAsync() => SqliteSchema.EnsureAsync(ConnectionString);

    public Task DisposeAsync()
    {
        _gate.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_append_completes_only_after_its_round_is_written_even_when_rounds_span_many_batches()
    {
        var sink = new WrittenSink(new SqliteHistorySink(ConnectionString, _gate));
        var store = new BatchingHistoryStore(sink, new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), NullLogger<BatchingHistoryStore>.Instance);
        await store.StartAsync(CancellationToken.None);
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);
        var early = 0;

        // 2,500 writers at once (more than a batch of 2,000 queued at times), each awaiting its append before the next.
        await Parallel.ForEachAsync(Enumerable.Range(0, 2500), new ParallelOptions { MaxDegreeOfParallelism = 2500 }, async (writer, _) =>
        {
            for (var i = 0; i < 8; i++)
            {
                var key = $"dev-{writer}|{i}";
                if (i % 4 == 3)
                {
                    await store.AppendAsync(new EventRecord($"asset-{writer}", $"dev-{writer}", "status", t0.AddSeconds(i), "{\"state\":\"working\"}", t0));
                    continue;
                }

                await store.AppendAsync(new FixRecord($"asset-{writer}", $"dev-{writer}", t0.AddSeconds(i), 13, 103, 4, null, null, null, null, t0));
                if (!sink.Written.ContainsKey(key))
                {
                    Interlocked.Increment(ref early);
                }
            }
        });
        await store.StopAsync(CancellationToken.None);

        Assert.Equal(0, early);
        Assert.Equal(2500 * 8, store.Written.Records);
        Assert.Equal(6, (await sink.ReadTrackAsync("asset-7", t0, t0.AddMinutes(1), 100, CancellationToken.None)).Count);
        Assert.Equal(2, (await sink.ReadEventsAsync("asset-7", "status", t0, t0.AddMinutes(1), 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task The_last_appends_of_a_burst_complete_though_nothing_follows_them()
    {
        var store = new BatchingHistoryStore(new SqliteHistorySink(ConnectionString, _gate), new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), NullLogger<BatchingHistoryStore>.Instance);
        await store.StartAsync(CancellationToken.None);
        var t0 = DateTimeOffset.UtcNow.AddHours(-1);

        // Bursts with a pause after each: an append whose record went into one round but that took the next round's
        // completion is completed by that next round, even when it finds nothing to write.
        for (var burst = 0; burst < 300; burst++)
        {
            var appends = Enumerable.Range(0, 1 + (burst % 7)).Select(i => Task.Run(() =>
                store.AppendAsync(new FixRecord($"asset-{i}", $"dev-{i}", t0.AddSeconds(burst), 13, 103, 4, null, null, null, null, t0))));
            await Task.WhenAll(appends).WaitAsync(TimeSpan.FromSeconds(10));
        }

        await store.StopAsync(CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 300).Sum(b => 1 + (b % 7)), store.Written.Records);
    }

    /// <summary>The real sink, noting each fix once its write has returned.</summary>
    private sealed class WrittenSink(IHistorySink inner) : IHistorySink
    {
        public ConcurrentDictionary<string, bool> Written { get; } = new(StringComparer.Ordinal);

        public async Task WriteAsync(IReadOnlyList<FixRecord> fixes, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken)
        {
            await inner.WriteAsync(fixes, events, cancellationToken);
            foreach (var fix in fixes)
            {
                Written[$"{fix.DeviceId}|{(int)(fix.Ts - fix.ReceivedAt).TotalSeconds}"] = true;
            }
        }

        public Task<IReadOnlyList<TrackPoint>> ReadTrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
            inner.ReadTrackAsync(assetId, from, to, limit, cancellationToken);

        public Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(string assetId, string kind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
            inner.ReadEventsAsync(assetId, kind, from, to, limit, cancellationToken);
    }
}
