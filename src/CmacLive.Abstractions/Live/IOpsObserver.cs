using Orleans.Concurrency;

namespace CmacLive.Live;

/// <summary>One per silo: receives the cluster's live updates and hands them to that silo's hub.</summary>
public interface IOpsObserver : IGrainObserver
{
    /// <summary>One-way: a slow or lost silo never holds up the feed that sends.</summary>
    [OneWay]
    Task OnUpdates(OpsUpdateBatch batch);
}
