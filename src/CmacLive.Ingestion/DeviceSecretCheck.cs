using CmacLive.Devices;
using Microsoft.Extensions.Logging;

namespace CmacLive.Ingestion;

/// <summary>
/// A device's secret checked against its device grain, behind the limits of <see cref="DeviceGate"/> (one check per device at
/// a time, a back-off per device and per address after failures, counted): one gate for every way a device logs in, an MQTT
/// CONNECT or a phone's HTTP request, so guesses over one do not escape the count of the other.
/// </summary>
public sealed partial class DeviceSecretCheck(IGrainFactory grains, DeviceGate gate, IngestStats stats, SafetyLane safety, ILogger<DeviceSecretCheck> logger)
{
    /// <summary>
    /// Checks <paramref name="secret"/> for <paramref name="deviceId"/> coming from <paramref name="address"/>. Throws when the
    /// check could not run (a silo lost, storage away): nothing is counted then, so a fleet logging in again during a failover is
    /// never banned for it.
    /// </summary>
    public async Task<SecretCheck> CheckAsync(string deviceId, string address, string secret)
    {
        var before = gate.BeforeCheck(deviceId, address, secret);
        if (before.Backoff is { } backoff)
        {
            if (stats.LimitReached(IngestLimit.ConnectBackoff, address, out var unlogged))
            {
                LogBackoffRefused(deviceId, address, backoff, unlogged);
            }

            return SecretCheck.BackingOff(backoff);
        }

        if (!before.Check)
        {
            stats.LimitReached(IngestLimit.ConnectBusy);
            return SecretCheck.NotNow;
        }

        Assets.AssetRef? asset = null;
        bool? authenticated = null;
        try
        {
            asset = await grains.GetGrain<IDeviceGrain>(deviceId).Authenticate(secret);
            authenticated = asset is not null;
            if (asset is not null)
            {
                safety.Bound(deviceId, asset.Id); // the SOS fast lane needs no grain to name the asset
            }
        }
        finally
        {
            gate.Checked(deviceId, address, secret, authenticated, out var startedBackoff);
            if (startedBackoff)
            {
                stats.LimitReached(IngestLimit.BackoffStarted);
                LogBackoffStarted(deviceId, address);
            }
        }

        return asset is not null ? SecretCheck.Accepted(asset) : SecretCheck.Refused;
    }

    [LoggerMessage(LogLevel.Warning, "Logins (MQTT CONNECTs, phones' requests) of device {DeviceId} or from {Address} failed too often within a minute (Mqtt:ConnectFailureLimit, Mqtt:ConnectFailureLimitPerAddress): further attempts are refused at once for a while; a device's last accepted secret still gets through")]
    private partial void LogBackoffStarted(string deviceId, string address);

    [LoggerMessage(LogLevel.Warning, "Login of device {DeviceId} from {Address} refused during a back-off ({Backoff} left); {Unlogged} more such refusals from it since the last report")]
    private partial void LogBackoffRefused(string deviceId, string address, TimeSpan backoff, long unlogged);
}
