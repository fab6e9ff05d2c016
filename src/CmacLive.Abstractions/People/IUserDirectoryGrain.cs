namespace CmacLive.People;

/// <summary>Every user name, for listings and for the first start. One per cluster (key 0); user grains keep it.</summary>
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    Task Add(string username);

    Task Remove(string username);

    Task<IReadOnlyList<string>> List();

    /// <summary>
    /// True for exactly one caller while the cluster has never had a user (and no other caller claimed the first user
    /// in the last minute): that caller creates the first administrator.
    /// </summary>
    Task<bool> ClaimFirstUser();
}
