using System.Threading.Channels;
using CmacLive.Downlinks;
using CmacLive.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Ingestion;

/// <summary>
/// This silo's MQTT side as the cluster's downlinks see it: it registers itself with <see cref="IDownlinkRegistryGrain"/>
/// (and renews the registration), takes the downlinks every silo's <c>DownlinkFeed</c> sends, and hands them, in order, to
/// this silo's broker (<see cref="IDeviceCommandSink"/>), each send with its own time limit. Independent of the dashboards:
/// a lost assignment is looked for here, between the feed and the broker.
/// </summary>
public sealed partial class DownlinkRelay(
    IGrainFactory grains,
    IEnumerable<IDeviceCommandSink> sinks,
    SiloDeathNotices deaths,
    Orleans.Runtime.ILocalSiloDetails silo,
    ILogger<DownlinkRelay> logger) : BackgroundService, IDownlinkObserver
{
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RegisterRetry = TimeSpan.FromSeconds(1);

    private readonly Channel<DownlinkBatch> _received = Channel.CreateUnbounded<DownlinkBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _siloKey = silo.SiloAddress.ToParsableString();
    private readonly IDeviceCommandSink[] _sinks = [.. sinks];
    private IDownlinkObserver? _self;

    public Task OnCommands(DownlinkBatch batch)
    {
        _received.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var self = _self = grains.CreateObjectReference<IDownlinkObserver>(this);
        var sending = SendLoopAsync(stoppingToken);
        await SiloRegistration.KeepAsync(
            _ => grains.GetGrain<IDownlinkRegistryGrain>(0).Register(_siloKey, self), RegisterRetry, deaths.Listen(), LogRegisterFailed, stoppingToken);
        await sending;
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in _received.Reader.ReadAllAsync(stoppingToken))
            {
                var local = batch.Origin == _siloKey;
                foreach (var sink in _sinks)
                {
                    using var timeout = new CancellationTokenSource(SendTimeout);
                    try
                    {
                        await sink.SendAsync(batch.Commands, local, timeout.Token);
                    }
                    catch (Exception ex)
                    {
                        LogSendFailed(ex, batch.Commands.Count);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IDownlinkRegistryGrain>(0).Unregister(_siloKey);
        }
        catch (Exception ex)
        {
            LogRegisterFailed(ex);
        }

        if (_self is not null)
        {
            grains.DeleteObjectReference<IDownlinkObserver>(_self);
        }

        await base.StopAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "This silo's MQTT side could not register for downlinks; retrying")]
    private partial void LogRegisterFailed(Exception ex);

    [LoggerMessage(LogLevel.Error, "{Count} downlinks could not be handed to the broker; their requests send them again until acknowledged")]
    private partial void LogSendFailed(Exception ex, int count);
}
