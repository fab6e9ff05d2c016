namespace CmacLive.Assets;

/// <summary>A manual demining or EOD team.</summary>
public interface ITeamGrain : IAssetGrain;

/// <summary>A demining machine: excavator, brush cutter, flail.</summary>
public interface IMachineGrain : IAssetGrain;

/// <summary>A mine-detection dog.</summary>
public interface IDogGrain : IAssetGrain;

/// <summary>A mine-detection rat.</summary>
public interface IRatGrain : IAssetGrain;

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
}
