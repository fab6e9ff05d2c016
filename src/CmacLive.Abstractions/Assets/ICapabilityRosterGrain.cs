namespace CmacLive.Assets;

/// <summary>The assets with one capability (e.g. <c>eod</c>), whatever their unit. Keyed by capability.</summary>
public interface ICapabilityRosterGrain : IGrainWithStringKey
{
    Task Add(AssetRef asset);

    Task Remove(string assetId);

    Task<IReadOnlyList<AssetRef>> List();
}
