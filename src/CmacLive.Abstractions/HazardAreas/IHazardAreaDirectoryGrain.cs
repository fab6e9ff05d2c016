namespace CmacLive.HazardAreas;

/// <summary>
/// Every hazard area code with the version at which it last changed, so each silo can keep its own
/// spatial index up to date. One per cluster (key 0); never on the per-fix path.
/// </summary>
public interface IHazardAreaDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Records that an area changed; answers the directory's new version.</summary>
    Task<long> Touch(string code);

    /// <summary>The codes changed after <paramref name="version"/> (all codes for 0), with the current version.</summary>
    Task<HazardAreaChanges> ChangesSince(long version);

    /// <summary>Every area's code, in order.</summary>
    Task<IReadOnlyList<string>> Codes();
}
