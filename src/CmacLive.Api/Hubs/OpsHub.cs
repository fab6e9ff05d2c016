using CmacLive.Api.Apis;
using CmacLive.Api.Auth;
using CmacLive.Api.Situation;
using CmacLive.Validation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CmacLive.Api.Hubs;

/// <summary>
/// <c>/hubs/ops</c>: live updates for dashboards. A new connection gets every update it may see;
/// <c>Focus(units)</c> narrows it to those units' assets (an empty list widens it again). A connection opened with
/// <c>?batched=true</c> gets assets' updates as <c>assetsUpdated(AssetStatus[])</c>, one array per feed batch, instead of
/// one <c>assetUpdated(AssetStatus)</c> each (a wall of thousands of assets moving every second is a few messages a second).
/// Each connection also gets <c>situationUpdated</c> for its focus (its units together, or every unit), from <see cref="SituationBoard"/>.
/// </summary>
/// <remarks>
/// Connections come in two kinds, fixed when they connect: those that see reporters' names and phones, and those
/// whose caller holds only <c>viewer</c> (<see cref="Roles.SeesPersonalData"/>), which get requests masked. Each kind
/// has its own groups (<see cref="Everything"/> and <see cref="UnitGroup"/>, <see cref="EverythingMasked"/> and
/// <see cref="MaskedUnitGroup"/>, <see cref="Connected"/> and <see cref="ConnectedMasked"/>), so the relay sends a
/// request once to each set, unmasked to one and masked to the other, and everything else to both.
/// </remarks>
[Authorize(Policy = Policies.Read)]
public sealed class OpsHub(OpsHubConnections connections, SituationBoard situation) : Hub
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

    /// <summary>The query parameter that asks for assets' updates in batches.</summary>
    public const string BatchedQuery = "batched";

    private const string BatchedItem = "batched";

    private const string SituationItem = "situation";

    /// <summary>
    /// Assets' updates have groups of their own, by how a connection takes them (<paramref name="batched"/>): those focused on
    /// <paramref name="unit"/>, or with a null unit those focused on none.
    /// </summary>
    public static string AssetGroup(string? unit, bool batched) => (batched ? "assets:batched:" : "assets:") + (unit ?? "*");

    /// <summary>Every connection that takes assets' updates one way or the other, whatever its focus (for an SOS).</summary>
    public static string EveryAssetGroup(bool batched) => batched ? "assets:batched" : "assets";

    /// <summary>Dashboards focused on <paramref name="unit"/>, that see personal data.</summary>
    public static string UnitGroup(string unit) => "unit:" + unit;

    /// <summary>Dashboards focused on <paramref name="unit"/>, that see reporters masked.</summary>
    public static string MaskedUnitGroup(string unit) => "unit:" + unit + ":masked";

    public override async Task OnConnectedAsync()
    {
        var masked = Context.User is not { } user || !Roles.SeesPersonalData(user);
        Context.Items[MaskedItem] = masked;
        var batched = string.Equals(Context.GetHttpContext()?.Request.Query[BatchedQuery], "true", StringComparison.OrdinalIgnoreCase);
        Context.Items[BatchedItem] = batched;
        connections.Opened(batched);
        await Groups.AddToGroupAsync(Context.ConnectionId, masked ? ConnectedMasked : Connected);
        await Groups.AddToGroupAsync(Context.ConnectionId, masked ? EverythingMasked : Everything);
        await Groups.AddToGroupAsync(Context.ConnectionId, EveryAssetGroup(batched));
        await Groups.AddToGroupAsync(Context.ConnectionId, AssetGroup(null, batched));
        Context.Items[SituationItem] = situation.Join(SituationBoard.Everything);
        await Groups.AddToGroupAsync(Context.ConnectionId, SituationBoard.Group(SituationBoard.Everything));
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(BatchedItem, out var batched))
        {
            connections.Closed(batched is true); // counted when it connected
        }

        if (Context.Items.TryGetValue(SituationItem, out var key) && key is string focus)
        {
            situation.Leave(focus);
        }

        return base.OnDisconnectedAsync(exception);
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
        var batched = Context.Items.TryGetValue(BatchedItem, out var taken) && taken is true;
        Func<string, string> group = masked ? MaskedUnitGroup : UnitGroup;
        var wanted = (units ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        var previous = Context.Items.TryGetValue(nameof(Focus), out var value) && value is string[] list ? list : [];
        foreach (var unit in previous.Except(wanted, StringComparer.Ordinal))
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group(unit));
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, AssetGroup(unit, batched));
        }

        foreach (var unit in wanted.Except(previous, StringComparer.Ordinal))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group(unit));
            await Groups.AddToGroupAsync(Context.ConnectionId, AssetGroup(unit, batched));
        }

        var everything = masked ? EverythingMasked : Everything;
        if (wanted.Length == 0)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, everything);
            await Groups.AddToGroupAsync(Context.ConnectionId, AssetGroup(null, batched));
        }
        else
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, everything);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, AssetGroup(null, batched));
        }

        Context.Items[nameof(Focus)] = wanted;
        await FocusSituationAsync(SituationBoard.KeyOf(wanted));
    }

    /// <summary>Moves the connection to the situation group of its focus (<c>situationUpdated</c> of its units, or of every unit).</summary>
    private async Task FocusSituationAsync(string key)
    {
        var previous = Context.Items.TryGetValue(SituationItem, out var value) && value is string known ? known : null;
        if (previous == key)
        {
            return;
        }

        Context.Items[SituationItem] = situation.Join(key);
        await Groups.AddToGroupAsync(Context.ConnectionId, SituationBoard.Group(key));
        if (previous is not null)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, SituationBoard.Group(previous));
            situation.Leave(previous);
        }
    }
}
