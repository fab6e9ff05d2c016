using Orleans.Concurrency;

namespace CmacLive.Downlinks;

/// <summary>One per silo, registered by its MQTT side: receives the cluster's downlinks and hands them to the silo's broker.</summary>
public interface IDownlinkObserver : IGrainObserver
{
    /// <summary>One-way: a slow or lost silo never holds up the silo that sends.</summary>
    [OneWay]
    Task OnCommands(DownlinkBatch batch);
}
