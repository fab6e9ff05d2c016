using CmacLive.Storage;

namespace CmacLive.Assets;

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
