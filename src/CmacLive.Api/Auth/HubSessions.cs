using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Auth;

/// <summary>
/// Every hub connection open on this silo, checked again every second: a connection whose user was deleted or
/// disabled, whose password changed, whose key was revoked or whose token expired is closed, so a dashboard
/// signed in as someone who may no longer see the picture stops receiving it.
/// </summary>
public sealed partial class HubSessions(AccessCheck check, AuthStats stats, ILogger<HubSessions> logger) : BackgroundService, IHubFilter
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, HubCallerContext> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (context.Context.User is not { } user || !await check.StillHoldsAsync(user))
        {
            context.Context.Abort();
            return;
        }

        _open[context.Context.ConnectionId] = context.Context;
        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _open.TryRemove(context.Context.ConnectionId, out _);
        await next(context, exception);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await WaitAsync(timer, stoppingToken))
        {
            // Side by side, each within a time limit: one user whose grain does not answer holds up no other check.
            await Task.WhenAll(_open.Select(CheckAsync));
        }
    }

    private async Task CheckAsync(KeyValuePair<string, HubCallerContext> open)
    {
        var (id, connection) = open;
        bool holds;
        try
        {
            holds = connection.User is { } user && await check.StillHoldsAsync(user).AsTask().WaitAsync(CheckTimeout);
        }
        catch (Exception ex)
        {
            LogCheckFailed(ex, id);
            return;
        }

        if (!holds && _open.TryRemove(id, out _))
        {
            stats.HubConnectionClosed();
            LogClosed(id, connection.User?.Identity?.Name);
            connection.Abort();
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Hub connection {ConnectionId} of {User} closed: its sign-in no longer holds")]
    private partial void LogClosed(string connectionId, string? user);

    [LoggerMessage(LogLevel.Warning, "Could not check hub connection {ConnectionId} again; it stays open until the next check")]
    private partial void LogCheckFailed(Exception ex, string connectionId);
}
