using System.Collections.Concurrent;
using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Devices;
using CmacLive.Live;
using Microsoft.Extensions.Logging;

namespace CmacLive.Ingestion;

/// <summary>
/// The SOS fast lane: the silo that receives an SOS pushes a critical alert to its own hub and to every other silo's
/// hub at once, one-way, before the report goes to any grain, so the alarm never waits for the grains of the device,
/// the asset, the ledger or the hub registry (any of them may be on a silo being lost). The alert carries the id the
/// ledger gives it (<c>sos-{asset}-{ts}</c>) and is marked provisional; the ledger's own alert follows through the
/// usual path and replaces it on the dashboards. The device's asset is learned at CONNECT (or, with an external broker,
/// looked up on the device's first uplink) and kept in memory; a new binding or secret closes the device's sessions,
/// which forgets it. One announcement per SOS episode per asset on this silo.
/// </summary>
public sealed partial class SafetyLane(IGrainFactory grains, HubDirectory hubs, IngestStats stats, TimeProvider time, ILogger<SafetyLane> logger)
{
    /// <summary>More bindings than this and the cache starts again (devices connected to one silo; this only bounds it).</summary>
    private const int MostBindings = 500_000;

    /// <summary>More assets in SOS at once than this (on this silo's word) and the episodes start again.</summary>
    private const int MostEpisodes = 10_000;

    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, string> _assets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _lookingUp = new(StringComparer.Ordinal);

    // Asset → the device time of the SOS announced for its current episode; and of the newest status seen.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _episodes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _latest = new(StringComparer.Ordinal);

    /// <summary>The device reports for <paramref name="assetId"/> (its password was just checked).</summary>
    public void Bound(string deviceId, string assetId)
    {
        if (_assets.Count >= MostBindings)
        {
            _assets.Clear();
        }

        _assets[deviceId] = assetId;
    }

    /// <summary>The device's binding or secret changed, or it was deleted: its sessions close and its asset is learned again.</summary>
    public void Forget(string deviceId) => _assets.TryRemove(deviceId, out _);

    /// <summary>
    /// An uplink arrived from <paramref name="deviceId"/>: with an external broker, which checked the device's password
    /// itself, its asset is looked up in the background the first time, so a later SOS finds it known.
    /// </summary>
    public void Heard(string deviceId)
    {
        if (!_assets.ContainsKey(deviceId))
        {
            _ = LookUpAsync(deviceId, null);
        }
    }

    /// <summary>
    /// A status report, as it arrives (the embedded broker hands it over from the wire, before the device's earlier
    /// packets are handled) and again before it is applied: an SOS is announced to every hub; any other state ends the
    /// asset's episode here. The newest status of an asset wins; one seen already, or an older one, changes nothing.
    /// </summary>
    public void OnStatus(StatusReport report)
    {
        if (_assets.TryGetValue(report.DeviceId, out var assetId))
        {
            Apply(assetId, report);
        }
        else if (report.State == AssetState.Sos)
        {
            LogLookingUp(report.DeviceId);
            _ = LookUpAsync(report.DeviceId, report);
        }
    }

    private void Apply(string assetId, StatusReport report)
    {
        if (!Newest(assetId, report.Ts))
        {
            return;
        }

        if (report.State != AssetState.Sos)
        {
            _episodes.TryRemove(assetId, out _);
        }
        else if (_episodes.TryAdd(assetId, report.Ts))
        {
            Announce(assetId, report);
        }
    }

    /// <summary>Notes <paramref name="ts"/> as the asset's newest status; false when one as new was seen already.</summary>
    private bool Newest(string assetId, DateTimeOffset ts)
    {
        if (_latest.Count >= MostBindings)
        {
            _latest.Clear();
        }

        while (true)
        {
            if (_latest.TryGetValue(assetId, out var seen))
            {
                if (ts <= seen)
                {
                    return false;
                }

                if (_latest.TryUpdate(assetId, ts, seen))
                {
                    return true;
                }
            }
            else if (_latest.TryAdd(assetId, ts))
            {
                return true;
            }
        }
    }

    private async Task LookUpAsync(string deviceId, StatusReport? sos)
    {
        if (!_lookingUp.TryAdd(deviceId, 0))
        {
            return;
        }

        try
        {
            var device = await grains.GetGrain<IDeviceGrain>(deviceId).Get().WaitAsync(LookupTimeout);
            if (device is null)
            {
                return;
            }

            Bound(deviceId, device.AssetId);
            if (sos is not null)
            {
                Apply(device.AssetId, sos);
            }
        }
        catch (Exception ex)
        {
            if (sos is not null)
            {
                stats.SosNotFastTracked();
                LogLookupFailed(ex, deviceId);
            }
        }
        finally
        {
            _lookingUp.TryRemove(deviceId, out _);
        }
    }

    private void Announce(string assetId, StatusReport report)
    {
        if (_episodes.Count >= MostEpisodes)
        {
            _episodes.Clear();
        }

        var alert = new Alert
        {
            Id = AlertIds.For(AlertKinds.Sos, assetId, report.Ts),
            Kind = AlertKinds.Sos,
            Severity = AlertSeverity.Critical,
            AssetId = assetId,
            Message = $"SOS from {assetId} (device {report.DeviceId})",
            RaisedAt = time.GetUtcNow(),
            Provisional = true,
        };

        var local = hubs.Local;
        var batch = new OpsUpdateBatch { Alerts = [new AlertUpdate { Alert = alert, Raised = true }] };
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var stale = hubs.IsStale;
        var reached = Push(batch, local is null ? hubs.Entries : [local, .. hubs.Entries.Where(h => h.Silo != local.Silo)], []);
        stats.SosFastTracked();
        LogAnnounced(alert.Id, report.DeviceId, reached.Count, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (stale)
        {
            // A hub registered since the list was read (a silo just started, or this one before its first registration)
            // would be missed: the registry is asked, and any hub new to the list is handed the SOS too.
            _ = ReachNewHubsAsync(batch, reached, alert.Id);
        }
    }

    /// <summary>Hands <paramref name="batch"/> one-way to every hub not in <paramref name="skip"/>; answers the silos reached.</summary>
    private HashSet<string> Push(OpsUpdateBatch batch, IEnumerable<OpsHubEntry> to, HashSet<string> skip)
    {
        var reached = new HashSet<string>(skip, StringComparer.Ordinal);
        foreach (var hub in to)
        {
            if (!reached.Add(hub.Silo))
            {
                continue;
            }

            try
            {
                // One-way: a lost silo's hub costs nothing here.
                _ = hub.Observer.OnUpdates(batch);
            }
            catch (Exception ex)
            {
                reached.Remove(hub.Silo);
                LogHubUnreachable(ex, hub.Silo);
            }
        }

        return reached;
    }

    private async Task ReachNewHubsAsync(OpsUpdateBatch batch, HashSet<string> reached, string alertId)
    {
        try
        {
            var entries = await hubs.ReadAsync(grains).WaitAsync(LookupTimeout);
            var now = Push(batch, entries, reached);
            if (now.Count > reached.Count)
            {
                LogReachedLate(alertId, now.Count - reached.Count);
            }
        }
        catch (Exception ex)
        {
            LogRegistryUnreachable(ex, alertId);
        }
    }

    [LoggerMessage(LogLevel.Warning, "SOS {AlertId} from device {DeviceId} pushed to {Hubs} hubs at once ({Ms} ms); the ledger records it next")]
    private partial void LogAnnounced(string alertId, string deviceId, int hubs, long ms);

    [LoggerMessage(LogLevel.Warning, "SOS {AlertId} pushed to {Count} more hubs, new to this silo's list")]
    private partial void LogReachedLate(string alertId, int count);

    [LoggerMessage(LogLevel.Warning, "SOS {AlertId}: the hub registry could not be read for hubs new to this silo's list; they have it from the ledger")]
    private partial void LogRegistryUnreachable(Exception ex, string alertId);

    [LoggerMessage(LogLevel.Warning, "SOS from device {DeviceId}, whose asset this silo does not know yet: looked up before it is pushed")]
    private partial void LogLookingUp(string deviceId);

    [LoggerMessage(LogLevel.Warning, "The hub of silo {Silo} could not be handed an SOS")]
    private partial void LogHubUnreachable(Exception ex, string silo);

    [LoggerMessage(LogLevel.Error, "SOS from device {DeviceId}: its asset could not be looked up, so it waits for the grains like any alert")]
    private partial void LogLookupFailed(Exception ex, string deviceId);
}
