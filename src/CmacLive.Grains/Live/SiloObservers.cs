using Microsoft.Extensions.Logging;

namespace CmacLive.Live;

/// <summary>
/// A registry grain's entries: one observer per silo, kept in memory. Silos renew their entry every
/// <see cref="SiloRegistration.Renewal"/>, so a registry that starts again fills again by itself (and every silo registers
/// again the moment the cluster declares a silo dead, in case the registry was there). Entries of silos the cluster has
/// declared dead are dropped at once (cluster membership, not the renewal, says so); entries not renewed expire.
/// </summary>
public sealed partial class SiloObservers<TObserver>(string what, TimeProvider time, IClusterMembershipService membership, ILogger logger)
    where TObserver : IGrainObserver
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (TObserver Observer, DateTimeOffset RenewedAt)> _entries = new(StringComparer.Ordinal);

    /// <summary>Registers or renews the observer of the silo at <paramref name="siloKey"/>; true when it is new there.</summary>
    public bool Register(string siloKey, TObserver observer)
    {
        var isNew = !_entries.TryGetValue(siloKey, out var known) || !known.Observer.Equals(observer);
        _entries[siloKey] = (observer, time.GetUtcNow());
        return isNew;
    }

    public void Unregister(string siloKey) => _entries.Remove(siloKey);

    /// <summary>The observers of silos alive and renewed in time, each with its silo's key.</summary>
    public List<(string Silo, TObserver Observer)> Current()
    {
        var now = time.GetUtcNow();
        var cluster = membership.CurrentSnapshot;
        foreach (var expired in _entries.Where(e => now - e.Value.RenewedAt > Expiry).Select(e => e.Key).ToList())
        {
            LogExpired(what, expired);
            _entries.Remove(expired);
        }

        foreach (var dead in _entries.Keys.Where(key => IsDead(cluster, key)).ToList())
        {
            LogDropped(what, dead);
            _entries.Remove(dead);
        }

        return [.. _entries.Select(e => (e.Key, e.Value.Observer))];
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

    [LoggerMessage(LogLevel.Warning, "{What} observer of silo {Silo} expired")]
    private partial void LogExpired(string what, string silo);

    [LoggerMessage(LogLevel.Warning, "{What} observer of silo {Silo} dropped: the cluster declared the silo dead")]
    private partial void LogDropped(string what, string silo);
}
