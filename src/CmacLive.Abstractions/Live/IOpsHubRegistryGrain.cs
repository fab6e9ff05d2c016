namespace CmacLive.Live;

/// <summary>
/// The per-silo hub observers of the cluster. Each silo renews its registration periodically; entries not
/// renewed expire. Read by each feed when its copy is older than <see cref="OpsHubRegistry.ObserverRefresh"/>, never per update. One per cluster (key 0).
/// </summary>
public interface IOpsHubRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the hub of the silo at <paramref name="siloKey"/> (its <c>SiloAddress.ToParsableString()</c>).</summary>
    Task Register(string siloKey, IOpsObserver observer);

    Task Unregister(string siloKey);

    Task<IReadOnlyList<IOpsObserver>> GetObservers();
}

/// <summary>How the feeds and hubs agree on timing.</summary>
public static class OpsHubRegistry
{
    /// <summary>
    /// The longest a feed keeps its list of hub observers before reading it again. A silo's hub counts
    /// as ready (and its dashboards miss nothing) once this long has passed after its first registration.
    /// </summary>
    public static readonly TimeSpan ObserverRefresh = TimeSpan.FromSeconds(1);
}
