using CmacLive.Live;
using CmacLive.Storage;
using Microsoft.Extensions.Logging;

namespace CmacLive.Alerts;

[GenerateSerializer, Alias("cmac.AlertLedgerState")]
public sealed class AlertLedgerState
{
    [Id(0)] public Dictionary<string, Alert> Open { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The most recent closed alerts, oldest first, at most <see cref="AlertLedgerGrain.ClosedKept"/>.</summary>
    [Id(1)] public List<Alert> Closed { get; set; } = [];
}

/// <summary>
/// The cluster's alerts. Every change is stored before it is pushed as <c>alertRaised</c> or
/// <c>alertUpdated</c>; raising and clearing are idempotent, so rules may send a signal again until
/// they know it arrived.
/// </summary>
public sealed class AlertLedgerGrain(
    [PersistentState("alerts", StorageNames.Main)] IPersistentState<AlertLedgerState> store,
    TimeProvider time,
    ILogger<AlertLedgerGrain> logger) : Grain, IAlertLedgerGrain
{
    public const int ClosedKept = 1000;

    private const string System = "system";

    public async Task Apply(IReadOnlyList<AlertSignal> signals)
    {
        var updates = new List<AlertUpdate>(signals.Count);
        foreach (var signal in signals)
        {
            var update = signal.Raised is { } raised ? RaiseOne(raised) : ClearOne(signal.Id, signal.ClearedAt);
            if (update is not null)
            {
                updates.Add(update);
            }
        }

        if (updates.Count == 0)
        {
            return;
        }

        await store.WriteStateAsync();
        var feed = GrainFactory.GetGrain<IOpsFeedGrain>(0);
        foreach (var update in updates)
        {
            await feed.Publish(update);
        }
    }

    public async Task<Alert?> Acknowledge(string id, string by, string? note, string? onBehalfOf = null)
    {
        if (!store.State.Open.TryGetValue(id, out var alert))
        {
            return store.State.Closed.FindLast(a => a.Id == id);
        }

        if (alert.AcknowledgedAt is not null)
        {
            return alert;
        }

        var now = time.GetUtcNow();
        alert = alert with
        {
            AcknowledgedBy = by,
            AcknowledgedAt = now,
            Trail = [.. alert.Trail, new AlertAudit { At = now, Action = "acknowledged", By = by, Note = note, OnBehalfOf = onBehalfOf }],
        };
        Store(alert);
        logger.LogInformation("Alert {AlertId} ({Kind}) acknowledged by {By}", id, alert.Kind, by);
        await store.WriteStateAsync();
        await GrainFactory.GetGrain<IOpsFeedGrain>(0).Publish(new AlertUpdate { Alert = alert, Raised = false });
        return alert;
    }

    public Task<Alert?> Get(string id) => Task.FromResult(
        store.State.Open.TryGetValue(id, out var alert) ? alert : store.State.Closed.FindLast(a => a.Id == id));

    public Task<IReadOnlyList<Alert>> List(bool openOnly)
    {
        IEnumerable<Alert> alerts = store.State.Open.Values;
        if (!openOnly)
        {
            alerts = alerts.Concat(store.State.Closed);
        }

        return Task.FromResult<IReadOnlyList<Alert>>([.. alerts.OrderByDescending(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal)]);
    }

    private AlertUpdate? RaiseOne(Alert alert)
    {
        if (store.State.Open.ContainsKey(alert.Id) || store.State.Closed.Exists(a => a.Id == alert.Id))
        {
            return null;
        }

        alert = alert with { Trail = [new AlertAudit { At = alert.RaisedAt, Action = "raised", By = System }] };
        store.State.Open[alert.Id] = alert;
        logger.LogWarning("Alert {AlertId} raised ({Kind}, {Severity}): {Message}", alert.Id, alert.Kind, alert.Severity, alert.Message);
        return new AlertUpdate { Alert = alert, Raised = true };
    }

    private AlertUpdate? ClearOne(string id, DateTimeOffset? clearedAt)
    {
        if (!store.State.Open.TryGetValue(id, out var alert) || alert.ClearedAt is not null)
        {
            return null;
        }

        var at = clearedAt ?? time.GetUtcNow();
        alert = alert with
        {
            ClearedAt = at,
            Trail = [.. alert.Trail, new AlertAudit { At = at, Action = "cleared", By = System }],
        };
        Store(alert);
        logger.LogInformation("Alert {AlertId} ({Kind}) cleared", alert.Id, alert.Kind);
        return new AlertUpdate { Alert = alert, Raised = false };
    }

    /// <summary>Keeps an alert open until it is both cleared and acknowledged; then among the recent closed ones.</summary>
    private void Store(Alert alert)
    {
        if (alert.IsOpen)
        {
            store.State.Open[alert.Id] = alert;
            return;
        }

        store.State.Open.Remove(alert.Id);
        store.State.Closed.Add(alert);
        if (store.State.Closed.Count > ClosedKept)
        {
            store.State.Closed.RemoveRange(0, store.State.Closed.Count - ClosedKept);
        }
    }
}
