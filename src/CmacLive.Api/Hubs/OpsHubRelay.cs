using System.Threading.Channels;
using CmacLive.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Hubs;

/// <summary>
/// This silo's one observer of the cluster's live updates: it registers itself with the hub registry
/// (and renews the registration), takes batches from every silo's feed and sends them to the
/// dashboards connected here. Batches queue in a bounded channel so a slow client never holds up the
/// cluster; when it is full the oldest batch gives way.
/// </summary>
public sealed partial class OpsHubRelay(
    IGrainFactory grains,
    IHubContext<OpsHub> hub,
    ILogger<OpsHubRelay> logger) : BackgroundService, IOpsObserver
{
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(10);

    private readonly string _siloKey = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly Channel<OpsUpdateBatch> _batches = Channel.CreateBounded<OpsUpdateBatch>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private IOpsObserver? _self;

    public Task OnUpdates(OpsUpdateBatch batch)
    {
        _batches.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _self = grains.CreateObjectReference<IOpsObserver>(this);
        var sending = SendLoopAsync(stoppingToken);
        using var timer = new PeriodicTimer(Renewal);
        do
        {
            try
            {
                await grains.GetGrain<IOpsHubRegistryGrain>(0).Register(_siloKey, _self);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRegisterFailed(ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));

        await sending;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IOpsHubRegistryGrain>(0).Unregister(_siloKey);
        }
        catch (Exception ex)
        {
            LogRegisterFailed(ex);
        }

        if (_self is not null)
        {
            grains.DeleteObjectReference<IOpsObserver>(_self);
        }

        _batches.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in _batches.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await SendAsync(batch, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogSendFailed(ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(OpsUpdateBatch batch, CancellationToken cancellationToken)
    {
        foreach (var status in batch.Assets)
        {
            await hub.Clients.Groups(OpsHub.Everything, OpsHub.UnitGroup(status.Unit))
                .SendAsync("assetUpdated", status, cancellationToken);
        }

        foreach (var area in batch.HazardAreas)
        {
            await hub.Clients.All.SendAsync("hazardAreaUpdated", area, cancellationToken);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Hub observer could not register with the cluster; retrying")]
    private partial void LogRegisterFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "A batch of live updates could not be sent to the dashboards")]
    private partial void LogSendFailed(Exception ex);
}
