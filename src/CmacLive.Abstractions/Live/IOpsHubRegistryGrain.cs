namespace CmacLive.Live;

/// <summary>
/// The per-silo hub observers of the cluster. Each silo renews its registration periodically; entries not
/// renewed expire. Read by the feeds every few seconds, never per update. One per cluster (key 0).
/// </summary>
public interface IOpsHubRegistryGrain : IGrainWithIntegerKey
{
    Task Register(string siloKey, IOpsObserver observer);

    Task Unregister(string siloKey);

    Task<IReadOnlyList<IOpsObserver>> GetObservers();
}
