using CmacLive.Api.Apis;
using CmacLive.Api.Auth;
using CmacLive.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CmacLive.Api.Hubs;

/// <summary>
/// <c>/hubs/ops</c>: live updates for dashboards. A new connection gets every update it may see;
/// <c>Focus(units)</c> narrows it to those units' assets (an empty list widens it again).
/// </summary>
/// <remarks>
/// Connections come in two kinds, fixed when they connect: those that see reporters' names and phones, and those
/// whose caller holds only <c>viewer</c> (<see cref="Roles.SeesPersonalData"/>), which get requests masked. Each kind
/// has its own groups (<see cref="Everything"/> and <see cref="UnitGroup"/>, <see cref="EverythingMasked"/> and
/// <see cref="MaskedUnitGroup"/>, <see cref="Connected"/> and <see cref="ConnectedMasked"/>), so the relay sends a
/// request once to each set, unmasked to one and masked to the other, and everything else to both.
/// </remarks>
[Authorize(Policy = Policies.Read)]
public sealed class OpsHub : Hub
{
    public const string Path = "/hubs/ops";

    /// <summary>Dashboards focused on no unit (they see every unit), that see personal data.</summary>
    public const string Everything = "all";

    /// <summary>Dashboards focused on no unit, that see reporters masked.</summary>
    public const string EverythingMasked = "all:masked";

    /// <summary>Every dashboard that sees personal data, whatever its focus (for a request of no unit yet).</summary>
    public const string Connected = "connected";

    /// <summary>Every dashboard that sees reporters masked, whatever its focus.</summary>
    public const string ConnectedMasked = "connected:masked";

    private const string MaskedItem = "masked";

    /// <summary>Dashboards focused on <paramref name="unit"/>, that see personal data.</summary>
    public static string UnitGroup(string unit) => "unit:" + unit;

    /// <summary>Dashboards focused on <paramref name="unit"/>, that see reporters masked.</summary>
    public static string MaskedUnitGroup(string unit) => "unit:" + unit + ":masked";

    public override async Task OnConnectedAsync()
    {
        var masked = Context.User is not { } user || !Roles.SeesPersonalData(user);
        Context.Items[MaskedItem] = masked;
        await Groups.AddToGroupAsync(Context.ConnectionId, masked ? ConnectedMasked : Connected);
        await Groups.AddToGroupAsync(Context.ConnectionId, masked ? EverythingMasked : Everything);
        await base.OnConnectedAsync();
    }

    [Authorize(Policy = Policies.Read)]
    public async Task Focus(string[]? units)
    {
        // A hostile client could otherwise join thousands of groups in one message.
        if (units is { Length: > InputLimits.ListItems })
        {
            throw new HubException($"Focus takes at most {InputLimits.ListItems} units");
        }

        if (units?.FirstOrDefault(u => !string.IsNullOrWhiteSpace(u) && !Identifiers.IsId(u.Trim())) is { } bad)
        {
            throw new HubException($"'{Identifiers.Shown(bad)}' is not a unit code: {Identifiers.IdRule}");
        }

        var masked = !(Context.Items.TryGetValue(MaskedItem, out var kind) && kind is false);
        Func<string, string> group = masked ? MaskedUnitGroup : UnitGroup;
        var wanted = (units ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var previous = Context.Items.TryGetValue(nameof(Focus), out var value) && value is string[] list ? list : [];
        foreach (var unit in previous.Except(wanted, StringComparer.Ordinal))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group(unit));
        }

        foreach (var unit in wanted.Except(previous, StringComparer.Ordinal))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group(unit));
        }

        var everything = masked ? EverythingMasked : Everything;
        if (wanted.Length == 0)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, everything);
        }
        else
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, everything);
        }

        Context.Items[nameof(Focus)] = wanted;
    }
}
