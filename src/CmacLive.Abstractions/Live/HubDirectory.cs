namespace CmacLive.Live;

/// <summary>
/// One per silo: the cluster's hub observers as this silo last learned them from the registry, and this silo's own
/// hub. The feed reads it before each batch (refreshing it when older than <see cref="OpsHubRegistry.ObserverRefresh"/>);
/// the safety lane sends from it without any grain call, so an SOS reaches every hub even while the registry is lost
/// with a silo. A hub's registration also refreshes it, so it is never older than a renewal, and the registry hands every
/// silo the new list when a hub registers anew.
/// </summary>
public sealed class HubDirectory(TimeProvider time)
{
    private volatile Known _known = new([], DateTimeOffset.MinValue);

    private volatile OpsHubEntry? _local;

    /// <summary>This silo's own hub, reached in-process (not through a grain call); null until it starts.</summary>
    public OpsHubEntry? Local => _local;

    /// <summary>This silo's hub starts: <paramref name="silo"/> is the key it registers under.</summary>
    public void AttachLocal(string silo, IOpsObserver hub) => _local = new OpsHubEntry(silo, hub);

    /// <summary>The hubs as last learned, without any call.</summary>
    public IReadOnlyList<OpsHubEntry> Entries => _known.Entries;

    public void Update(IReadOnlyList<OpsHubEntry> entries) => _known = new Known(entries, time.GetUtcNow());

    /// <summary>True when the copy is empty or older than <see cref="OpsHubRegistry.ObserverRefresh"/>.</summary>
    public bool IsStale
    {
        get
        {
            var known = _known;
            return known.Entries.Count == 0 || time.GetUtcNow() - known.ReadAt >= OpsHubRegistry.ObserverRefresh;
        }
    }

    /// <summary>The hubs, read again from the registry when the copy <see cref="IsStale">is stale</see>.</summary>
    public ValueTask<IReadOnlyList<OpsHubEntry>> GetAsync(IGrainFactory grains) =>
        IsStale ? new ValueTask<IReadOnlyList<OpsHubEntry>>(ReadAsync(grains)) : new ValueTask<IReadOnlyList<OpsHubEntry>>(_known.Entries);

    /// <summary>The hubs, read from the registry now.</summary>
    public async Task<IReadOnlyList<OpsHubEntry>> ReadAsync(IGrainFactory grains)
    {
        var entries = await grains.GetGrain<IOpsHubRegistryGrain>(0).GetObservers();
        Update(entries);
        return entries;
    }

    private sealed record Known(IReadOnlyList<OpsHubEntry> Entries, DateTimeOffset ReadAt);
}
