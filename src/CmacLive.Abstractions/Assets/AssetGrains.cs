namespace CmacLive.Assets;

/// <summary>Resolves an asset's grain from its kind, and reads many assets' statuses.</summary>
public static class AssetGrains
{
    /// <summary>Grain reads under way at once when every asset (or area) is read, so such a read never floods the cluster.</summary>
    public const int ReadsAtOnce = 500;

    /// <summary>The live status of every asset of <paramref name="units"/>, <see cref="ReadsAtOnce"/> reads at a time.</summary>
    public static async Task<List<AssetStatus>> StatusesAsync(IGrainFactory grains, IEnumerable<string> units, CancellationToken cancellationToken)
    {
        var rosters = await Task.WhenAll(units.Select(u => grains.GetGrain<IUnitRosterGrain>(u).List())).WaitAsync(cancellationToken);
        var statuses = await InChunksAsync(rosters.SelectMany(r => r), a => Get(grains, a).GetStatus(), cancellationToken);
        return [.. statuses.OfType<AssetStatus>()];
    }

    /// <summary>Each item's grain read, <see cref="ReadsAtOnce"/> at a time, in order.</summary>
    public static async Task<List<TResult>> InChunksAsync<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, Task<TResult>> read, CancellationToken cancellationToken)
    {
        var results = new List<TResult>();
        foreach (var chunk in items.Chunk(ReadsAtOnce))
        {
            results.AddRange(await Task.WhenAll(chunk.Select(read)).WaitAsync(cancellationToken));
        }

        return results;
    }

    public static IAssetGrain Get(IGrainFactory grains, AssetKind kind, string assetId) => kind switch
    {
        AssetKind.Team => grains.GetGrain<ITeamGrain>(assetId),
        AssetKind.Machine => grains.GetGrain<IMachineGrain>(assetId),
        AssetKind.Dog => grains.GetGrain<IDogGrain>(assetId),
        AssetKind.Rat => grains.GetGrain<IRatGrain>(assetId),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown asset kind"),
    };

    public static IAssetGrain Get(IGrainFactory grains, AssetRef asset) => Get(grains, asset.Kind, asset.Id);

    /// <summary>The team <paramref name="teamId"/>, for dispatch (no other kind can be dispatched).</summary>
    public static ITeamGrain Team(IGrainFactory grains, string teamId) => grains.GetGrain<ITeamGrain>(teamId);
}
