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

/// <summary>One silo's hub observer, under the silo's address.</summary>
[GenerateSerializer, Immutable, Alias("cmac.OpsHubEntry")]
public sealed record OpsHubEntry(
    [property: Id(0)] string Silo,
    [property: Id(1)] IOpsObserver Observer);

/// <summary>How the feeds and hubs agree on timing.</summary>
public static class OpsHubRegistry
{
    /// <summary>
    /// The longest a feed keeps its list of hub observers before reading it again. A silo's hub counts
    /// as ready (and its dashboards miss nothing) once this long has passed after its first registration.
    /// </summary>
    public static readonly TimeSpan ObserverRefresh = TimeSpan.FromSeconds(1);
}
