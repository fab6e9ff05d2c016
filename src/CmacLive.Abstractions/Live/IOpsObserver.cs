using Orleans.Concurrency;

namespace CmacLive.Live;

/// <summary>One per silo: receives the cluster's live updates and hands them to that silo's hub.</summary>
public interface IOpsObserver : IGrainObserver
{
    /// <summary>One-way: a slow or lost silo never holds up the feed that sends.</summary>
    [OneWay]
    Task OnUpdates(OpsUpdateBatch batch);

    /// <summary>
    /// One-way: a hub registered anew (a silo started, or started again), and these are now every hub known. The silo's
    /// <see cref="HubDirectory"/> takes them at once, so its SOS fast lane reaches the new hub without waiting for a refresh.
    /// </summary>
    [OneWay]
    Task OnHubs(IReadOnlyList<OpsHubEntry> hubs);
}
