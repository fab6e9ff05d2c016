namespace CmacLive.Assets;

/// <summary>The assets of one demining unit (DU1…DU6). Keyed by unit code.</summary>
public interface IUnitRosterGrain : IGrainWithStringKey
{
    Task Add(AssetRef asset);

    Task Remove(string assetId);

    Task<IReadOnlyList<AssetRef>> List();
}
