namespace CmacLive.Assets;

/// <summary>A stored list of assets (a unit's, or those with a capability), written only when it changes.</summary>
public abstract class AssetRosterGrain(IPersistentState<AssetRosterState> store) : Grain
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
