namespace CmacLive.Reports;

/// <summary>Every project id (key 0).</summary>
public interface IProjectDirectoryGrain : IGrainWithIntegerKey
{
    Task Add(string id);

    Task<IReadOnlyList<string>> List();
}
