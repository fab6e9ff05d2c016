namespace CmacLive.Assets;

/// <summary>Resolves an asset's grain from its kind.</summary>
public static class AssetGrains
{
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
