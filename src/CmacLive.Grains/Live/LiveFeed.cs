using System.Collections.Concurrent;
using System.Diagnostics;
using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Live;

/// <summary>
/// One per silo, in-process: grains hand it their live updates without a grain call; it coalesces them for
/// <see cref="TrackingOptions.FeedBatchInterval"/> (the newest status per asset, area and request wins; every movement is sent, in order; every alert
/// change is sent, in order, each with its ledger sequence number, so a hub never sees a gap that is not one) and sends one batch to every silo's hub observer, one-way, and
/// straight to this silo's own hub. The observer list comes from the silo's <see cref="HubDirectory"/>, read again from
/// the registry once older than <see cref="OpsHubRegistry.ObserverRefresh"/>, never per update. Updates of one asset come
/// from its one activation in order, and the newest of them is in the next batch: batches leave from one loop.
/// </summary>
public sealed partial class LiveFeed(
    IOptions<TrackingOptions> options,
    HubDirectory hubs,
    IGrainFactory grains,
    ILogger<LiveFeed> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, AssetStatus> _assets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HazardAreaView> _areas = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AlertUpdate> _alerts = new();
    private readonly ConcurrentDictionary<string, DispatchRequestView> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AssetEvent> _events = new();

    // The trace of an asset's pending update, kept only while it is traced (never when no trace is recorded).
    private readonly ConcurrentDictionary<string, ActivityContext> _traced = new(StringComparer.Ordinal);

    public void Publish(AssetStatus status)
    {
        _assets[status.Id] = status;
        if (Activity.Current is { Recorded: true } current)
        {
            _traced[status.Id] = current.Context;
        }
    }

    public void Publish(HazardAreaView area) => _areas[area.Code] = area;

    public void Publish(AlertUpdate alert) => _alerts.Enqueue(alert);

    public void Publish(DispatchRequestView request) => _requests[request.Id] = request;

    public void Publish(AssetEvent movement) => _events.Enqueue(movement);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FeedBatchInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: what is pending goes in the last batch
        }

        await FlushAsync();
    }

    private async Task FlushAsync()
    {
        try
        {
            if (_assets.IsEmpty && _areas.IsEmpty && _alerts.IsEmpty && _requests.IsEmpty && _events.IsEmpty)
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
                Alerts = TakeAll(_alerts),
                Requests = Take(_requests),
                AssetEvents = TakeAll(_events),
            };
            var local = hubs.Local;
            var pushes = HubPushes(batch.Assets);
            foreach (var hub in observers)
            {
                try
                {
                    // This silo's hub in-process; the others by a one-way call.
                    await (local is not null && hub.Silo == local.Silo ? local : hub).Observer.OnUpdates(batch);
                }
                catch (Exception ex)
                {
                    LogObserverFailed(ex, hub.Silo, batch.Assets.Count + batch.HazardAreas.Count + batch.Alerts.Count + batch.Requests.Count + batch.AssetEvents.Count);
                    pushes?.ForEach(p => p.SetStatus(ActivityStatusCode.Error, hub.Silo));
                }
            }

            pushes?.ForEach(p => p.Dispose());
        }
        catch (Exception ex)
        {
            LogFlushFailed(ex);
        }
    }

    /// <summary>A <see cref="Tracing.HubPush"/> span in the trace of each traced update of the batch; null when none is traced.</summary>
    private List<Activity>? HubPushes(IReadOnlyList<AssetStatus> assets)
    {
        if (_traced.IsEmpty)
        {
            return null;
        }

        List<Activity>? pushes = null;
        foreach (var asset in assets)
        {
            if (_traced.TryRemove(asset.Id, out var parent)
                && Tracing.Source.StartActivity(Tracing.HubPush, ActivityKind.Producer, parent) is { } push)
            {
                push.SetTag("cmaclive.asset.id", asset.Id);
                (pushes ??= []).Add(push);
            }
        }

        Activity.Current = null; // the spans end when the batch is handed over; later work is not theirs
        return pushes;
    }

    /// <summary>The pending updates of one kind; one replaced while it was taken stays for the next batch.</summary>
    private static IReadOnlyList<T> Take<T>(ConcurrentDictionary<string, T> pending)
    {
        if (pending.IsEmpty)
        {
            return [];
        }

        var taken = new List<T>(pending.Count);
        foreach (var entry in pending)
        {
            if (pending.TryRemove(entry))
            {
                taken.Add(entry.Value);
            }
        }

        return taken;
    }

    /// <summary>Everything queued, in order (no alert change is coalesced away).</summary>
    private static List<T> TakeAll<T>(ConcurrentQueue<T> queued)
    {
        List<T> taken = [];
        while (queued.TryDequeue(out var item))
        {
            taken.Add(item);
        }

        return taken;
    }

    private async Task<IReadOnlyList<OpsHubEntry>> ObserversAsync()
    {
        try
        {
            return await hubs.GetAsync(grains);
        }
        catch (Exception ex)
        {
            LogRegistryUnreadable(ex, hubs.Entries.Count);
            return hubs.Entries;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The hub of silo {Silo} could not take a batch of {Count} updates")]
    private partial void LogObserverFailed(Exception ex, string silo, int count);

    [LoggerMessage(LogLevel.Error, "A batch of live updates could not be sent")]
    private partial void LogFlushFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "The hub registry could not be read; using the last known {Count} observers")]
    private partial void LogRegistryUnreadable(Exception ex, int count);
}
