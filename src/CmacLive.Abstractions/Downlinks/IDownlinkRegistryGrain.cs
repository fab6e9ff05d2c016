namespace CmacLive.Downlinks;

/// <summary>
/// The per-silo downlink observers of the cluster, beside (and independent of) the dashboards' hub registry: each silo's
/// MQTT side registers its observer and renews it; entries not renewed expire, entries of silos the cluster declared dead
/// are dropped. Read by each silo's <c>DownlinkFeed</c> when it has commands to send. One per cluster (key 0).
/// </summary>
public interface IDownlinkRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the MQTT side of the silo at <paramref name="siloKey"/> (its <c>SiloAddress.ToParsableString()</c>).</summary>
    Task Register(string siloKey, IDownlinkObserver observer);

    Task Unregister(string siloKey);

    Task<IReadOnlyList<DownlinkEntry>> GetObservers();
}
