using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Live;

/// <summary>Watches the cluster's membership and hands this silo's registrations a notice when a silo is declared dead.</summary>
public sealed partial class ClusterDeathWatch(IClusterMembershipService membership, SiloDeathNotices notices, ILogger<ClusterDeathWatch> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                if (newlyDead.Count > 0)
                {
                    LogSiloDeclaredDead(string.Join(", ", newlyDead.Select(m => m.SiloAddress)));
                    notices.Declared();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    [LoggerMessage(LogLevel.Warning, "The cluster declared silo {Silos} dead: this silo's hub and MQTT side register again at once")]
    private partial void LogSiloDeclaredDead(string silos);
}
