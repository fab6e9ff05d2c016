using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// Shortly after a silo starts, looks once at every asset so that each one activates and judges its own
/// liveness: assets left stored as online by a crash, whose devices never came back, go offline and
/// dashboards are told, instead of showing them online until someone asks.
/// </summary>
public sealed partial class AssetLivenessSweep(IGrainFactory grains, ILogger<AssetLivenessSweep> logger) : BackgroundService
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Delay, stoppingToken);
            var count = 0;
            foreach (var unit in await grains.GetGrain<IUnitDirectoryGrain>(0).List())
            {
                foreach (var asset in await grains.GetGrain<IUnitRosterGrain>(unit).List())
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    await AssetGrains.Get(grains, asset).GetStatus();
                    count++;
                }
            }

            LogSwept(count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogSweepFailed(ex);
        }
    }

    [LoggerMessage(LogLevel.Information, "Liveness of {Count} assets checked after start")]
    private partial void LogSwept(int count);

    [LoggerMessage(LogLevel.Warning, "The liveness sweep after start did not finish")]
    private partial void LogSweepFailed(Exception ex);
}
