using Microsoft.Extensions.Logging;

namespace CmacLive.Live;

/// <summary>
/// The cluster's hub observers, one per silo, kept in memory: silos renew their entry every few
/// seconds, so a restarted registry fills again by itself (and every hub registers again the moment the cluster
/// declares a silo dead, in case this registry was there). Entries of silos the cluster has declared dead are dropped
/// at once (cluster membership, not the renewal, says so); entries not renewed expire.
/// </summary>
public sealed class OpsHubRegistryGrain(TimeProvider time, IClusterMembershipService membership, ILogger<OpsHubRegistryGrain> logger)
    : Grain, IOpsHubRegistryGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (IOpsObserver Observer, DateTimeOffset RenewedAt)> _hubs = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<OpsHubEntry>> Register(string siloKey, IOpsObserver observer)
    {
        if (!_hubs.ContainsKey(siloKey))
        {
            logger.LogInformation("Hub observer of silo {Silo} registered", siloKey);
        }

        _hubs[siloKey] = (observer, time.GetUtcNow());
        return GetObservers();
    }

    public Task Unregister(string siloKey)
    {
        _hubs.Remove(siloKey);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OpsHubEntry>> GetObservers()
    {
        var now = time.GetUtcNow();
        var cluster = membership.CurrentSnapshot;
        foreach (var expired in _hubs.Where(h => now - h.Value.RenewedAt > Expiry).Select(h => h.Key).ToList())
        {
            logger.LogWarning("Hub observer of silo {Silo} expired", expired);
            _hubs.Remove(expired);
        }

        foreach (var dead in _hubs.Keys.Where(key => IsDead(cluster, key)).ToList())
        {
            logger.LogWarning("Hub observer of silo {Silo} dropped: the cluster declared the silo dead", dead);
            _hubs.Remove(dead);
        }

        return Task.FromResult<IReadOnlyList<OpsHubEntry>>([.. _hubs.Select(h => new OpsHubEntry(h.Key, h.Value.Observer))]);
    }

    /// <summary>Keys are silo addresses (<see cref="SiloAddress.ToParsableString"/>); any other key is left to expire.</summary>
    private static bool IsDead(ClusterMembershipSnapshot cluster, string siloKey)
    {
        try
        {
            return cluster.GetSiloStatus(SiloAddress.FromParsableString(siloKey)) == SiloStatus.Dead;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
