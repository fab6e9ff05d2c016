using Microsoft.Extensions.Logging;

namespace CmacLive.Live;

/// <summary>
/// The cluster's hub observers, one per silo, kept in memory: silos renew their entry every few
/// seconds, so a restarted registry fills again by itself (and every hub registers again the moment the cluster
/// declares a silo dead, in case this registry was there). Entries of silos the cluster has declared dead are dropped
/// at once (cluster membership, not the renewal, says so); entries not renewed expire.
/// </summary>
public sealed partial class OpsHubRegistryGrain(TimeProvider time, IClusterMembershipService membership, ILogger<OpsHubRegistryGrain> logger)
    : Grain, IOpsHubRegistryGrain
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (IOpsObserver Observer, DateTimeOffset RenewedAt)> _hubs = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<OpsHubEntry>> Register(string siloKey, IOpsObserver observer)
    {
        var isNew = !_hubs.TryGetValue(siloKey, out var known) || !known.Observer.Equals(observer);
        _hubs[siloKey] = (observer, time.GetUtcNow());
        var hubs = await GetObservers();
        if (isNew)
        {
            LogRegistered(siloKey, hubs.Count - 1);
            foreach (var other in hubs.Where(h => h.Silo != siloKey))
            {
                try
                {
                    // One-way: a hub of a silo being lost costs nothing here.
                    _ = other.Observer.OnHubs(hubs);
                }
                catch (Exception ex)
                {
                    LogNotTold(ex, other.Silo);
                }
            }
        }

        return hubs;
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
            LogExpired(expired);
            _hubs.Remove(expired);
        }

        foreach (var dead in _hubs.Keys.Where(key => IsDead(cluster, key)).ToList())
        {
            LogDead(dead);
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

    [LoggerMessage(LogLevel.Information, "Hub observer of silo {Silo} registered; the other {Count} hubs are told")]
    private partial void LogRegistered(string silo, int count);

    [LoggerMessage(LogLevel.Warning, "Hub observer of silo {Silo} could not be told of the new hub")]
    private partial void LogNotTold(Exception ex, string silo);

    [LoggerMessage(LogLevel.Warning, "Hub observer of silo {Silo} expired")]
    private partial void LogExpired(string silo);

    [LoggerMessage(LogLevel.Warning, "Hub observer of silo {Silo} dropped: the cluster declared the silo dead")]
    private partial void LogDead(string silo);
}
