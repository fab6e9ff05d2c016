namespace CmacLive.Assets;

/// <summary>The assets of one demining unit (DU1…DU6). Keyed by unit code.</summary>
public interface IUnitRosterGrain : IGrainWithStringKey
{
    Task Add(AssetRef asset);

    Task Remove(string assetId);

    Task<IReadOnlyList<AssetRef>> List();
}

/// <summary>The assets with one capability (e.g. <c>eod</c>), whatever their unit. Keyed by capability.</summary>
public interface ICapabilityRosterGrain : IGrainWithStringKey
{
    Task Add(AssetRef asset);

    Task Remove(string assetId);

    Task<IReadOnlyList<AssetRef>> List();
}
