using Microsoft.Extensions.Logging;

namespace CmacLive.Live;

/// <summary>
/// The cluster's hub observers, one per silo (<see cref="SiloObservers{TObserver}"/>). A hub that registers anew is
/// announced to every other hub, so each silo's SOS fast lane reaches it at once.
/// </summary>
public sealed partial class OpsHubRegistryGrain(TimeProvider time, IClusterMembershipService membership, ILogger<OpsHubRegistryGrain> logger)
    : Grain, IOpsHubRegistryGrain
{
    private readonly SiloObservers<IOpsObserver> _hubs = new("Hub", time, membership, logger);

    public async Task<IReadOnlyList<OpsHubEntry>> Register(string siloKey, IOpsObserver observer)
    {
        var isNew = _hubs.Register(siloKey, observer);
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
        _hubs.Unregister(siloKey);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OpsHubEntry>> GetObservers() =>
        Task.FromResult<IReadOnlyList<OpsHubEntry>>([.. _hubs.Current().Select(h => new OpsHubEntry(h.Silo, h.Observer))]);

    [LoggerMessage(LogLevel.Information, "Hub observer of silo {Silo} registered; the other {Count} hubs are told")]
    private partial void LogRegistered(string silo, int count);

    [LoggerMessage(LogLevel.Warning, "Hub observer of silo {Silo} could not be told of the new hub")]
    private partial void LogNotTold(Exception ex, string silo);
}
