using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Downlinks;

/// <summary>
/// One per silo, in-process: grains hand it their downlinks (a dispatch assignment, the order to close a device's
/// sessions) without a grain call, and it sends them, in order, to every silo's MQTT side as soon as it can: one-way calls to
/// the observers of <see cref="IDownlinkRegistryGrain"/>, read again for every batch (downlinks are few). This is the one
/// path a downlink takes from a grain to a broker; the dashboards' live feed plays no part in it. Until a silo's MQTT side
/// has registered the commands wait; a request sends its assignment again until the team acknowledges it.
/// </summary>
public sealed partial class DownlinkFeed(IGrainFactory grains, ILocalSiloDetails silo, ILogger<DownlinkFeed> logger) : BackgroundService
{
    /// <summary>How long commands wait before the registry is asked again, when no MQTT side was registered.</summary>
    private static readonly TimeSpan NoObserverRetry = TimeSpan.FromMilliseconds(500);

    private readonly Channel<DeviceCommand> _queue = Channel.CreateUnbounded<DeviceCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _origin = silo.SiloAddress.ToParsableString();

    // The observers last read, for when the registry cannot be reached (it was on a silo being lost): touched by the send loop only.
    private IReadOnlyList<DownlinkEntry> _known = [];

    /// <summary>Sends a downlink to a device, through every silo's broker (or the external one).</summary>
    public void Send(DeviceCommand command) => _queue.Writer.TryWrite(command);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        List<DeviceCommand> waiting = [];
        var holding = false; // commands wait for a silo's MQTT side to register
        try
        {
            while (waiting.Count > 0 || await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_queue.Reader.TryRead(out var command))
                {
                    waiting.Add(command);
                }

                if (await SendAsync(waiting, first: !holding))
                {
                    waiting = [];
                    holding = false;
                    continue;
                }

                holding = true;
                await Task.Delay(NoObserverRetry, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: what is waiting goes out once more
        }

        while (_queue.Reader.TryRead(out var command))
        {
            waiting.Add(command);
        }

        if (waiting.Count > 0)
        {
            await SendAsync(waiting, first: false);
        }
    }

    /// <summary>Hands the commands to every registered MQTT side; false when none is registered yet (said once: <paramref name="first"/>).</summary>
    private async Task<bool> SendAsync(List<DeviceCommand> commands, bool first)
    {
        var observers = await ObserversAsync();
        if (observers.Count == 0)
        {
            if (first)
            {
                LogNoObserver(commands.Count);
            }

            return false;
        }

        var batch = new DownlinkBatch { Commands = [.. commands], Origin = _origin };
        foreach (var entry in observers)
        {
            try
            {
                await entry.Observer.OnCommands(batch);
            }
            catch (Exception ex)
            {
                LogObserverFailed(ex, entry.Silo, commands.Count);
            }
        }

        return true;
    }

    private async Task<IReadOnlyList<DownlinkEntry>> ObserversAsync()
    {
        try
        {
            _known = await grains.GetGrain<IDownlinkRegistryGrain>(0).GetObservers();
        }
        catch (Exception ex)
        {
            LogRegistryUnreadable(ex, _known.Count);
        }

        return _known;
    }

    [LoggerMessage(LogLevel.Warning, "{Count} downlinks wait: no silo's MQTT side has registered for them yet")]
    private partial void LogNoObserver(int count);

    [LoggerMessage(LogLevel.Warning, "The MQTT side of silo {Silo} could not take {Count} downlinks; their requests send them again until acknowledged")]
    private partial void LogObserverFailed(Exception ex, string silo, int count);

    [LoggerMessage(LogLevel.Warning, "The downlink registry could not be read; using the last known {Count} observers")]
    private partial void LogRegistryUnreadable(Exception ex, int count);
}
