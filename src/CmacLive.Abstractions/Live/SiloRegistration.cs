using System.Threading.Channels;

namespace CmacLive.Live;

/// <summary>How a silo keeps one of its observers (its hub, its MQTT side) registered with the cluster's registry.</summary>
public static class SiloRegistration
{
    /// <summary>How often a registration is renewed; a registry forgets one not renewed for a minute.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Registers at once, then again every <see cref="Renewal"/>; after a failure, again after <paramref name="retry"/>;
    /// and at once whenever <paramref name="again"/> says so (a silo was declared dead). Returns when stopping.
    /// </summary>
    public static async Task KeepAsync(
        Func<CancellationToken, Task> register, TimeSpan retry, ChannelReader<bool> again, Action<Exception> failed, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var registered = false;
            try
            {
                await register(stoppingToken);
                registered = true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failed(ex);
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(registered ? Renewal : retry);
            try
            {
                await again.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // the renewal is due (or the silo stops)
            }
        }
    }
}
