namespace CmacLive.Assets;

/// <summary>Every unit that has assets, so a listing without a unit filter can visit each roster. One per cluster (key 0).</summary>
public interface IUnitDirectoryGrain : IGrainWithIntegerKey
{
    Task Add(string unit);

    Task<IReadOnlyList<string>> List();
}
