using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CmacLive.Simulator;

/// <summary>
/// Watches the hub like a dashboard and measures, for every fix the fleet published, the time until
/// its <c>assetUpdated</c> arrived (matched by asset id and fix time). Updates coalesced away by the
/// server's batching are not matched and not counted.
/// </summary>
public sealed class LatencyWatch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Asset, long Ts), long> _sent = new();
    /// <summary>Activations, first connections and first storage round trips happen in this first stretch of a run.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(10);
    private readonly List<double> _millis = [];
    private readonly List<double> _steadyMillis = [];
    private long _started = Stopwatch.GetTimestamp();
    private readonly Lock _lock = new();
    private HubConnection? _connection;

    public async Task StartAsync(Uri baseUrl, string token, CancellationToken cancellationToken)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "/hubs/ops"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        _connection.On<JsonElement>("assetUpdated", OnAssetUpdated);
        await _connection.StartAsync(cancellationToken);
        _started = Stopwatch.GetTimestamp();
    }

    public void Sent(string assetId, long tsMillis) => _sent[(assetId, tsMillis)] = Stopwatch.GetTimestamp();

    public string Summary()
    {
        lock (_lock)
        {
            if (_millis.Count == 0)
            {
                return "latency: no updates matched yet";
            }

            return $"latency fix->dashboard, all: {Percentiles(_millis)}\nlatency fix->dashboard after the first {WarmUp.TotalSeconds:0} s: {Percentiles(_steadyMillis)}";
        }
    }

    /// <summary>p50, p90, p99 and max of latencies in milliseconds.</summary>
    public static string Percentiles(IReadOnlyCollection<double> millis)
    {
        if (millis.Count == 0)
        {
            return "none";
        }

        var sorted = millis.Order().ToArray();
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{sorted.Length} samples, p50 {P(0.5):0} ms, p90 {P(0.9):0} ms, p99 {P(0.99):0} ms, max {sorted[^1]:0} ms");
    }

    private void OnAssetUpdated(JsonElement status)
    {
        if (status.GetProperty("position") is not { ValueKind: JsonValueKind.Object } position
            || !DateTimeOffset.TryParse(position.GetProperty("ts").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts))
        {
            return;
        }

        if (_sent.TryRemove((status.GetProperty("id").GetString()!, ts.ToUnixTimeMilliseconds()), out var start))
        {
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            lock (_lock)
            {
                _millis.Add(ms);
                if (Stopwatch.GetElapsedTime(_started) > WarmUp)
                {
                    _steadyMillis.Add(ms);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
