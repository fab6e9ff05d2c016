using CmacLive.Storage;

namespace CmacLive.Assets;

[GenerateSerializer, Alias("cmac.UnitRosterState")]
public sealed class UnitRosterState
{
    [Id(0)] public Dictionary<string, AssetKind> Assets { get; set; } = [];
}

/// <summary>A stored list of assets (a unit's, or those with a capability), written only when it changes.</summary>
public abstract class AssetRosterGrain(IPersistentState<UnitRosterState> store) : Grain
{
    public async Task Add(AssetRef asset)
    {
        if (!store.State.Assets.TryGetValue(asset.Id, out var kind) || kind != asset.Kind)
        {
            store.State.Assets[asset.Id] = asset.Kind;
            await store.WriteStateAsync();
        }
    }

    public async Task Remove(string assetId)
    {
        if (store.State.Assets.Remove(assetId))
        {
            await store.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<AssetRef>> List() => Task.FromResult<IReadOnlyList<AssetRef>>(
        [.. store.State.Assets.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new AssetRef { Id = a.Key, Kind = a.Value })]);
}

public sealed class UnitRosterGrain(
    [PersistentState("roster", StorageNames.Main)] IPersistentState<UnitRosterState> store) : AssetRosterGrain(store), IUnitRosterGrain;

public sealed class CapabilityRosterGrain(
    [PersistentState("capability", StorageNames.Main)] IPersistentState<UnitRosterState> store) : AssetRosterGrain(store), ICapabilityRosterGrain;
