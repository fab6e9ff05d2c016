using CmacLive.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CmacLive.Api.Hubs;

/// <summary>
/// <c>/hubs/ops</c>: live updates for dashboards. A new connection gets every update it may see;
/// <c>Focus(units)</c> narrows it to those units' assets (an empty list widens it again).
/// </summary>
[Authorize(Policy = Policies.Read)]
public sealed class OpsHub : Hub
{
    public const string Path = "/hubs/ops";
    public const string Everything = "all";

    public static string UnitGroup(string unit) => "unit:" + unit;

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, Everything);
        await base.OnConnectedAsync();
    }

    [Authorize(Policy = Policies.Read)]
    public async Task Focus(string[]? units)
    {
        var wanted = (units ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var previous = Context.Items.TryGetValue(nameof(Focus), out var value) && value is string[] list ? list : [];
        foreach (var unit in previous.Except(wanted, StringComparer.Ordinal))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, UnitGroup(unit));
        }

        foreach (var unit in wanted.Except(previous, StringComparer.Ordinal))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, UnitGroup(unit));
        }

        if (wanted.Length == 0)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, Everything);
        }
        else
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, Everything);
        }

        Context.Items[nameof(Focus)] = wanted;
    }
}
