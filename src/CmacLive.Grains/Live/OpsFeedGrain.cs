using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace CmacLive.Live;

/// <summary>
/// One activation per silo (so updates of one asset are never split across activations and
/// reordered) coalesces live updates on this silo for <see cref="TrackingOptions.FeedBatchInterval"/> (the newest
/// status per asset wins) and sends one batch to every silo's hub observer, one-way. The observer list comes
/// from the silo's <see cref="HubDirectory"/>, read again from the registry once older than
/// <see cref="OpsHubRegistry.ObserverRefresh"/>, never per update.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed class OpsFeedGrain(
    IOptions<TrackingOptions> options,
    HubDirectory hubs,
    ILocalSiloDetails silo,
    ILogger<OpsFeedGrain> logger) : Grain, IOpsFeedGrain
{
    // Cleared, not replaced, after each batch (which copies them): no new dictionaries per flush.
    private readonly Dictionary<string, AssetStatus> _assets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HazardAreaView> _areas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlertUpdate> _alerts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DispatchRequestView> _requests = new(StringComparer.Ordinal);
    private readonly string _origin = silo.SiloAddress.ToParsableString();
    private List<DeviceCommand> _commands = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.FeedBatchInterval;
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(period, period) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        FlushAsync(cancellationToken);

    public Task Publish(AssetStatus status)
    {
        _assets[status.Id] = status;
        return Task.CompletedTask;
    }

    public Task Publish(HazardAreaView area)
    {
        _areas[area.Code] = area;
        return Task.CompletedTask;
    }

    public Task Publish(AlertUpdate alert)
    {
        // An alert raised and changed within one batch still reaches the dashboards as raised.
        var raised = alert.Raised || (_alerts.TryGetValue(alert.Alert.Id, out var pending) && pending.Raised);
        _alerts[alert.Alert.Id] = alert with { Raised = raised };
        return Task.CompletedTask;
    }

    public Task Publish(DispatchRequestView request)
    {
        _requests[request.Id] = request;
        return Task.CompletedTask;
    }

    public Task Send(DeviceCommand command)
    {
        _commands.Add(command);
        return Task.CompletedTask;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_assets.Count == 0 && _areas.Count == 0 && _alerts.Count == 0 && _requests.Count == 0 && _commands.Count == 0)
        {
            return;
        }

        var observers = await ObserversAsync();
        if (observers.Count == 0)
        {
            return; // no hub known yet: keep the updates (newest per asset) until one registers
        }

        var batch = new OpsUpdateBatch
        {
            Assets = Take(_assets),
            HazardAreas = Take(_areas),
            Alerts = Take(_alerts),
            Requests = Take(_requests),
            Commands = _commands.Count == 0 ? [] : _commands,
            Origin = _origin,
        };
        if (_commands.Count > 0)
        {
            _commands = [];
        }
        foreach (var hub in observers)
        {
            try
            {
                await hub.Observer.OnUpdates(batch);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A hub observer could not take a batch of {Count} updates", batch.Assets.Count + batch.HazardAreas.Count + batch.Alerts.Count);
            }
        }
    }

    /// <summary>The pending updates of one kind, copied for the batch, and cleared.</summary>
    private static IReadOnlyList<T> Take<T>(Dictionary<string, T> pending)
    {
        if (pending.Count == 0)
        {
            return [];
        }

        T[] taken = [.. pending.Values];
        pending.Clear();
        return taken;
    }

    private async Task<IReadOnlyList<OpsHubEntry>> ObserversAsync()
    {
        try
        {
            return await hubs.GetAsync(GrainFactory);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The hub registry could not be read; using the last known {Count} observers", hubs.Entries.Count);
            return hubs.Entries;
        }
    }
}
