namespace CmacLive.Live;

/// <summary>
/// The per-silo hub observers of the cluster. Each silo renews its registration periodically; entries not
/// renewed expire, and entries of silos the cluster declared dead are dropped. Read by each silo's
/// <see cref="HubDirectory"/> when its copy is older than <see cref="OpsHubRegistry.ObserverRefresh"/>, never per
/// update. One per cluster (key 0).
/// </summary>
public interface IOpsHubRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the hub of the silo at <paramref name="siloKey"/> (its <c>SiloAddress.ToParsableString()</c>); answers every hub known.</summary>
    Task<IReadOnlyList<OpsHubEntry>> Register(string siloKey, IOpsObserver observer);

    Task Unregister(string siloKey);

    Task<IReadOnlyList<OpsHubEntry>> GetObservers();
}
