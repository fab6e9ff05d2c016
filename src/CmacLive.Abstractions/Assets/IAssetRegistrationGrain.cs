namespace CmacLive.Assets;

/// <summary>
/// The registration of one asset id: which kind it is and which unit it belongs to, so that REST can
/// find the asset's grain from its id alone. Keyed by asset id.
/// </summary>
public interface IAssetRegistrationGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates the asset; throws <see cref="AssetKindConflictException"/> if the id has another kind.</summary>
    Task<AssetStatus> Register(AssetProfile profile);

    /// <summary>The asset's kind, or null when the id is not registered.</summary>
    Task<AssetRef?> Find();
}
