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

/// <summary>A stored set of names (the units, the projects); the alias is kept from when it held units only.</summary>
[GenerateSerializer, Alias("cmac.UnitDirectoryState")]
public sealed class UnitDirectoryState
{
    [Id(0)] public HashSet<string> Names { get; set; } = [];
}

/// <summary>A cluster-wide list of names, written only when a new one appears.</summary>
public abstract class NameDirectoryGrain(IPersistentState<UnitDirectoryState> store) : Grain
{
    public async Task Add(string name)
    {
        if (store.State.Names.Add(name))
        {
            await store.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. store.State.Names.Order(StringComparer.Ordinal)]);
}

public sealed class UnitDirectoryGrain(
    [PersistentState("units", StorageNames.Main)] IPersistentState<UnitDirectoryState> store) : NameDirectoryGrain(store), IUnitDirectoryGrain;

public sealed class ProjectDirectoryGrain(
    [PersistentState("projects", StorageNames.Main)] IPersistentState<UnitDirectoryState> store) : NameDirectoryGrain(store), Reports.IProjectDirectoryGrain;
