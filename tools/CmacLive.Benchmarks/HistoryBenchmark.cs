using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using CmacLive.History;
using CmacLive.Storage.History;
using CmacLive.Storage.Postgres;
using CmacLive.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CmacLive.Benchmarks;

/// <summary>
/// History writes: many concurrent appenders (as many grains each waiting for its fix to be stored before
/// the PUBACK) against the batching history store on PostgreSQL or SQLite. Reports rows per second,
/// batch sizes and append-to-durable latency, with the hardware.
/// </summary>
public static class HistoryBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? postgres = null;
        string? sqlite = null;
        var writers = 1000;
        var seconds = 20;
        for (var i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--postgres": postgres = args[i + 1]; break;
                case "--sqlite": sqlite = args[i + 1]; break;
                case "--writers": writers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}\n{Benchmarks.Usage}"); return 2;
            }
        }

        IHistorySink sink;
        IDisposable? owned;
        if (postgres is not null)
        {
            await PostgresSchema.EnsureAsync(postgres);
            var source = NpgsqlDataSource.Create(postgres);
            sink = new PostgresHistorySink(source);
            owned = source;
        }
        else if (sqlite is not null)
        {
            var connectionString = $"Data Source={Path.GetFullPath(sqlite)}";
            await SqliteSchema.EnsureAsync(connectionString);
            var gate = new SqliteWriteGate();
            sink = new SqliteHistorySink(connectionString, gate);
            owned = gate;
        }
        else
        {
            Console.Error.WriteLine(Benchmarks.Usage);
            return 2;
        }

        var store = new BatchingHistoryStore(sink, new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), NullLogger<BatchingHistoryStore>.Instance);
        await store.StartAsync(CancellationToken.None);
        var run = Guid.NewGuid().ToString("N")[..8];
        var start = DateTimeOffset.UtcNow;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var latencies = new List<double>[writers];
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(seconds * 200);
            var deviceId = $"bench-{run}-{w}";
            var assetId = $"BENCH-{run}-{w}";
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var fix = new FixRecord(assetId, deviceId, start.AddMilliseconds(n), 12.5 + (n * 1e-6), 103 + (w * 1e-4), 4, null, 1.2, 90, 80, DateTimeOffset.UtcNow);
                var sentAt = Stopwatch.GetTimestamp();
                await store.AppendAsync(fix);
                mine.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
            }
        })).ToList();
        await Task.WhenAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        await store.StopAsync(CancellationToken.None);
        owned.Dispose();

        var (batches, records) = store.Written;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            history on {(postgres is not null ? "PostgreSQL" : "SQLite")}: {writers} concurrent appenders for {elapsed:0.0} s
              {records} rows in {batches} batches: {records / elapsed:0} rows/s, {(double)records / Math.Max(batches, 1):0.0} rows per batch
              append -> durable: p50 {P(0.5):0.0} ms, p90 {P(0.9):0.0} ms, p99 {P(0.99):0.0} ms, max {sorted[^1]:0.0} ms
              {Benchmarks.Hardware()}
            """));
        return 0;
    }
}
