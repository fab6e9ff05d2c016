using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Hubs;

/// <summary>
/// SignalR's in-memory lifetime manager for the ops hub, which also knows the connections, so that a dashboard that stopped
/// reading (a frozen tab, a link gone quiet) can be found and cut off: every send to a group waits until each connection in
/// it took the message, and one such connection would otherwise hold up each round until SignalR drops it, tens of seconds
/// later. A dashboard cut off reconnects and starts again from a fresh snapshot, as after any lost link.
/// </summary>
public sealed partial class OpsHubLifetimeManager(
    ILogger<DefaultHubLifetimeManager<OpsHub>> inner,
    IMeterFactory meters,
    ILogger<OpsHubLifetimeManager> logger) : DefaultHubLifetimeManager<OpsHub>(inner)
{
    public const string MeterName = "CmacLive.Hub";

    private readonly ConcurrentDictionary<string, HubConnectionContext> _connections = new(StringComparer.Ordinal);
    private long _cutOffCount;
    private readonly Counter<long> _cutOff = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.hub.cut_off", description: "Dashboards cut off because they did not take their updates in time");

    /// <summary>How many dashboards this silo has cut off since it started.</summary>
    public long CutOffCount => Interlocked.Read(ref _cutOffCount);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        _connections[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }

    /// <summary>
    /// Writes a protocol ping (which every client ignores) to each connection at once; one that cannot take it within
    /// <paramref name="within"/> is behind a full buffer and is aborted. Answers how many were.
    /// </summary>
    public async Task<int> CutOffStuckAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        var stuck = await Task.WhenAll(_connections.Values.Select(c => IsStuckAsync(c, within, cancellationToken)));
        var count = 0;
        foreach (var connection in stuck.OfType<HubConnectionContext>())
        {
            LogCutOff(logger, connection.ConnectionId, connection.UserIdentifier, (long)within.TotalMilliseconds);
            connection.Abort();
            _cutOff.Add(1);
            Interlocked.Increment(ref _cutOffCount);
            count++;
        }

        return count;
    }

    private static async Task<HubConnectionContext?> IsStuckAsync(HubConnectionContext connection, TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            await connection.WriteAsync(PingMessage.Instance, timeout.Token).AsTask().WaitAsync(within, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return connection;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // closing anyway
        }
    }

    [LoggerMessage(LogLevel.Warning, "Dashboard connection {ConnectionId} (user {User}) could not take a ping within {Ms} ms after a send to it timed out: cut off so it holds up no other dashboard; it reconnects from a fresh snapshot")]
    private static partial void LogCutOff(ILogger logger, string connectionId, string? user, long ms);
}
