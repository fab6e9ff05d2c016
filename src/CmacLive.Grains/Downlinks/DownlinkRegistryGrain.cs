using CmacLive.Live;
using Microsoft.Extensions.Logging;

namespace CmacLive.Downlinks;

/// <summary>The cluster's downlink observers, one per silo's MQTT side (<see cref="SiloObservers{TObserver}"/>).</summary>
public sealed partial class DownlinkRegistryGrain(TimeProvider time, IClusterMembershipService membership, ILogger<DownlinkRegistryGrain> logger)
    : Grain, IDownlinkRegistryGrain
{
    private readonly SiloObservers<IDownlinkObserver> _observers = new("Downlink", time, membership, logger);

    public Task Register(string siloKey, IDownlinkObserver observer)
    {
        if (_observers.Register(siloKey, observer))
        {
            LogRegistered(siloKey);
        }

        return Task.CompletedTask;
    }

    public Task Unregister(string siloKey)
    {
        _observers.Unregister(siloKey);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DownlinkEntry>> GetObservers() =>
        Task.FromResult<IReadOnlyList<DownlinkEntry>>([.. _observers.Current().Select(o => new DownlinkEntry(o.Silo, o.Observer))]);

    [LoggerMessage(LogLevel.Information, "Downlink observer of silo {Silo} registered")]
    private partial void LogRegistered(string silo);
}
