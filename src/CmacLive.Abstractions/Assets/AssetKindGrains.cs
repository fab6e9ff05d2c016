namespace CmacLive.Assets;

/// <summary>A manual demining or EOD team: the one kind that can be dispatched to an emergency report.</summary>
public interface ITeamGrain : IAssetGrain
{
    /// <summary>
    /// Takes a dispatch: the team is now the request's. Claiming the same request again is harmless; throws
    /// <c>DispatchConflictException</c> when the team is not EOD-capable, is in SOS, or has another request.
    /// Null when the team is not configured.
    /// </summary>
    Task<Dispatch.DispatchClaim?> ClaimDispatch(Dispatch.DispatchTask task);

    /// <summary>Frees the team from <paramref name="requestId"/>, if that is its dispatch; answers its devices (to tell them).</summary>
    Task<IReadOnlyList<string>> ReleaseDispatch(string requestId);
}

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

    /// <summary>The team <paramref name="teamId"/>, for dispatch (no other kind can be dispatched).</summary>
    public static ITeamGrain Team(IGrainFactory grains, string teamId) => grains.GetGrain<ITeamGrain>(teamId);
}
