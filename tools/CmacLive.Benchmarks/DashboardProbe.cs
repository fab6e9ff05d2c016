using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace CmacLive.Benchmarks;

/// <summary>
/// A dashboard of the ingest benchmark: a SignalR client on a silo's hub (<c>/hubs/ops</c>, the admin token as
/// bearer), taking assets' updates in batches (<c>assetsUpdated</c>) as the dashboard does, or one by one, that takes every update's latency from its position's device time, notes the newest position
/// per asset, and when each <c>alertRaised</c> first arrived. Only the fields it needs are read.
/// </summary>
public sealed class DashboardProbe : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly IReadOnlyDictionary<string, int> _assets;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> _alerts = new(StringComparer.Ordinal);
    private readonly Arrivals _arrivals;

    private DashboardProbe(HubConnection connection, IReadOnlyDictionary<string, int> assets)
    {
        _connection = connection;
        _assets = assets;
        _arrivals = new Arrivals(assets.Count);
    }

    /// <summary>Connects to <paramref name="silo"/>'s hub; <paramref name="assets"/> numbers the assets of the load.</summary>
    public static async Task<DashboardProbe> ConnectAsync(Uri silo, string token, IReadOnlyDictionary<string, int> assets, bool batched = true)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(silo, batched ? "/hubs/ops?batched=true" : "/hubs/ops"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var probe = new DashboardProbe(connection, assets);
        connection.On<AssetUpdate>("assetUpdated", probe.OnAsset);
        connection.On<AssetUpdate[]>("assetsUpdated", updates =>
        {
            foreach (var update in updates)
            {
                probe.OnAsset(update);
            }
        });
        connection.On<AlertRaised>("alertRaised", probe.OnAlert);
        await connection.StartAsync();
        return probe;
    }

    /// <summary>Whether the newest fix of each device is on this dashboard.</summary>
    public bool HasNewest(IReadOnlyList<LoadDevice> devices) => _arrivals.HasNewest(devices);

    /// <summary>The latencies (ms) noted since the last call.</summary>
    public List<double> TakeLatencies() => _arrivals.TakeLatencies();

    /// <summary>When the first <c>alertRaised</c> with this id arrived (provisional or not), or null within the time.</summary>
    public async Task<DateTimeOffset?> AlertAsync(string id, TimeSpan within)
    {
        try
        {
            return await Slot(id).Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private void OnAsset(AssetUpdate update)
    {
        if (update.Position is not { } position || !_assets.TryGetValue(update.Id, out var index))
        {
            return;
        }

        _arrivals.Note(index, position.Ts.ToUnixTimeMilliseconds());
    }

    private void OnAlert(AlertRaised alert) => Slot(alert.Id).TrySetResult(DateTimeOffset.UtcNow);

    private TaskCompletionSource<DateTimeOffset> Slot(string id) =>
        _alerts.GetOrAdd(id, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>What the benchmark reads of an <c>AssetStatus</c>.</summary>
    public sealed record AssetUpdate(string Id, PositionTime? Position);

    public sealed record PositionTime(DateTimeOffset Ts);

    public sealed record AlertRaised(string Id);
}
