using System.Text.Json;
using CmacLive.Alerts;
using CmacLive.History;
using CmacLive.Tracking;

namespace CmacLive.Assets;

/// <summary>
/// An asset's own events in history, beside its fixes and statuses: entering and leaving hazard areas (after the dwell,
/// <see cref="MovementRule"/>), each in history before the dashboards hear of it (<c>assetEvent</c>); going online and
/// offline; and the alerts its own rules raise (<c>alert</c>, kept under a digest of the alert's id where a device's id
/// would be (<see cref="AlertRecords.Key"/>: ids can be longer than the column), so a signal sent again is stored once). Read back by <c>GET /api/assets/{id}/events</c>.
/// </summary>
internal sealed class AssetJournal(string assetId, AssetTrackState track, AssetGrainServices services)
{
    private readonly MovementRule _movements = new(track.Presence, services.AlertRules.EntryDwell);

    // What history last heard of the asset's liveness (as stored when it activated).
    private bool _online = track.Online;

    // The alerts recorded by this activation; one recorded by an earlier activation is stored once by history itself.
    private readonly HashSet<string> _alertsRecorded = new(StringComparer.Ordinal);

    /// <summary>
    /// A newer fix (already applied to the asset's state) placed it in its hazard area: the movements it confirmed go to
    /// history, then to the dashboards. True when any did (the asset's state changed and should be stored).
    /// </summary>
    public async Task<bool> FixedAsync(FixReport fix, DateTimeOffset receivedAt)
    {
        var movements = _movements.OnFix(fix.Ts, track.HazardArea);
        foreach (var movement in movements)
        {
            var payload = JsonSerializer.Serialize(new MovementPayload(movement.HazardArea), JsonSerializerOptions.Web);
            await services.History.AppendAsync(new EventRecord(assetId, fix.DeviceId, movement.KindName, movement.At, payload, receivedAt));
            services.Movements.Add(1, new KeyValuePair<string, object?>("kind", movement.KindName));
            services.Feed.Publish(new AssetEvent
            {
                AssetId = assetId,
                At = movement.At,
                Kind = movement.KindName,
                HazardArea = movement.HazardArea,
                Unit = track.Profile?.Unit ?? "",
            });
        }

        return movements.Count > 0;
    }

    /// <summary>Records a change of liveness since the last one recorded: online at the device time last heard, offline when judged.</summary>
    public async Task LivenessAsync(DateTimeOffset now)
    {
        if (track.Online == _online)
        {
            return;
        }

        var kind = track.Online ? Movements.Online : Movements.Offline;
        var at = track.Online ? track.LastSeen ?? now : now;
        var device = track.Devices.Count > 0 ? track.Devices[0] : assetId;
        await services.History.AppendAsync(new EventRecord(assetId, device, kind, at, "{}", now));
        _online = track.Online;
    }

    /// <summary>Records the alerts raised by the asset's rules that wait in its outbox (each once).</summary>
    public async Task AlertsAsync(DateTimeOffset now)
    {
        foreach (var signal in track.Alerts.Outbox)
        {
            if (signal.Raised is not { } alert || !_alertsRecorded.Add(alert.Id))
            {
                continue;
            }

            var payload = JsonSerializer.Serialize(new AlertPayload(alert.Id, alert.Kind, WireNames.Of(alert.Severity), alert.HazardArea, alert.Message), JsonSerializerOptions.Web);
            await services.History.AppendAsync(new EventRecord(assetId, AlertRecords.Key(alert.Id), Movements.Alert, alert.RaisedAt, payload, now));
        }

        if (_alertsRecorded.Count > AssetAlertRules.MaxSightings)
        {
            _alertsRecorded.Clear(); // bounded; history stores a repeat once
        }
    }

    private sealed record MovementPayload(string HazardArea);

    private sealed record AlertPayload(string Id, string Kind, string Severity, string? HazardArea, string Message);
}
