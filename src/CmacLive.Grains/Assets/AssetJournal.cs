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
/// They are queued as they happen and written by <see cref="FlushAsync"/> after the asset's state is saved and its alerts
/// delivered, all in one round: a history outage never holds back an alert or the asset's state, and what it could not
/// write stays queued (at most <see cref="MostQueued"/>) for the next commit. History stores a record written twice once.
/// </summary>
internal sealed class AssetJournal(string assetId, AssetTrackState track, AssetGrainServices services)
{
    /// <summary>Records kept for a history that is down, before the oldest are dropped.</summary>
    public const int MostQueued = 256;

    private readonly MovementRule _movements = new(track.Presence, services.AlertRules.EntryDwell);

    // What history will have heard of the asset's liveness once the queue is written (as stored when it activated).
    private bool _online = track.Online;

    // The alerts queued by this activation: a signal the ledger has not taken yet is in the outbox at every commit.
    private readonly HashSet<string> _alertsQueued = new(StringComparer.Ordinal);

    // Records not yet in history, in order; a movement's event goes to the dashboards once its record is in.
    private readonly List<(EventRecord Record, AssetEvent? Movement)> _queued = [];

    /// <summary>Records dropped because history stayed down longer than the queue holds.</summary>
    public int Dropped { get; private set; }

    /// <summary>
    /// A newer fix (already applied to the asset's state) placed it in its hazard area: the movements it confirmed are queued.
    /// True when any were (the asset's state changed and should be stored).
    /// </summary>
    public bool Fixed(FixReport fix, DateTimeOffset receivedAt)
    {
        var movements = _movements.OnFix(fix.Ts, track.HazardArea);
        foreach (var movement in movements)
        {
            var payload = JsonSerializer.Serialize(new MovementPayload(movement.HazardArea), JsonSerializerOptions.Web);
            Queue(new EventRecord(assetId, fix.DeviceId, movement.KindName, movement.At, payload, receivedAt), new AssetEvent
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

    /// <summary>Queues a change of liveness since the last one queued: online at the device time last heard, offline when judged.</summary>
    public void Liveness(DateTimeOffset now)
    {
        if (track.Online == _online)
        {
            return;
        }

        var kind = track.Online ? Movements.Online : Movements.Offline;
        var at = track.Online ? track.LastSeen ?? now : now;
        var device = track.Devices.Count > 0 ? track.Devices[0] : assetId;
        Queue(new EventRecord(assetId, device, kind, at, "{}", now), null);
        _online = track.Online;
    }

    /// <summary>Queues the alerts raised by the asset's rules that wait in its outbox (a signal sent again is stored once).</summary>
    public void Alerts(DateTimeOffset now)
    {
        foreach (var signal in track.Alerts.Outbox)
        {
            if (signal.Raised is { } alert && _alertsQueued.Add(alert.Id))
            {
                var payload = JsonSerializer.Serialize(new AlertPayload(alert.Id, alert.Kind, WireNames.Of(alert.Severity), alert.HazardArea, alert.Message), JsonSerializerOptions.Web);
                Queue(new EventRecord(assetId, AlertRecords.Key(alert.Id), Movements.Alert, alert.RaisedAt, payload, now), null);
            }
        }

        if (_alertsQueued.Count > MostQueued)
        {
            _alertsQueued.Clear(); // bounded; history stores a repeat once
        }
    }

    /// <summary>Writes what is queued in one history round, then tells the dashboards of the movements; on failure it stays queued.</summary>
    public Task FlushAsync() => _queued.Count == 0 ? Task.CompletedTask : WriteQueuedAsync();

    private async Task WriteQueuedAsync()
    {
        var writing = _queued.ToArray();
        await Task.WhenAll(writing.Select(q => services.History.AppendAsync(q.Record)));
        _queued.RemoveRange(0, writing.Length);
        foreach (var (record, movement) in writing)
        {
            if (movement is not null)
            {
                services.Movements.Add(1, new KeyValuePair<string, object?>("kind", record.Kind));
                services.Feed.Publish(movement);
            }
        }
    }

    private void Queue(EventRecord record, AssetEvent? movement)
    {
        if (_queued.Count >= MostQueued)
        {
            _queued.RemoveAt(0);
            Dropped++;
        }

        _queued.Add((record, movement));
    }

    private sealed record MovementPayload(string HazardArea);

    private sealed record AlertPayload(string Id, string Kind, string Severity, string? HazardArea, string Message);
}
