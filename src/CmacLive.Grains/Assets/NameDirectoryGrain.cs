namespace CmacLive.Assets;

/// <summary>A cluster-wide list of names, written only when a new one appears.</summary>
public abstract class NameDirectoryGrain(IPersistentState<NameDirectoryState> store) : Grain
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
