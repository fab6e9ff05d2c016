using CmacLive.History;
using CmacLive.Live;
using CmacLive.Storage;
using Microsoft.Extensions.Logging;

namespace CmacLive.Alerts;

/// <summary>
/// The cluster's alerts. Every change is stored before it is pushed as <c>alertRaised</c> or
/// <c>alertUpdated</c>; raising and clearing are idempotent, so rules may send a signal again until
/// they know it arrived. Every change takes the next sequence number, so a hub that missed a push (its silo's link
/// down, the push lost with a silo after the write) asks for what came after the last one it had (<see cref="Since"/>).
/// A write that fails drops the activation, so a retry starts again from what is stored.
/// </summary>
public sealed partial class AlertLedgerGrain(
    [PersistentState("alerts", StorageNames.Main)] IPersistentState<AlertLedgerState> store,
    TimeProvider time,
    IHistoryStore history,
    Microsoft.Extensions.Options.IOptions<AlertOptions> options,
    Live.LiveFeed feed,
    ILogger<AlertLedgerGrain> logger) : Grain, IAlertLedgerGrain
{
    /// <summary>Closed alerts kept for a history that is down, before the oldest are dropped (logged).</summary>
    private const int MostUnarchived = 10_000;

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

        await WriteAsync();
        foreach (var update in updates)
        {
            feed.Publish(update);
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
        alert = Store(alert);
        LogAcknowledged(id, alert.Kind, by);
        await WriteAsync();
        feed.Publish(new AlertUpdate { Alert = alert, Raised = false });
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

    public Task<IReadOnlyDictionary<AlertSeverity, int>> CountOpen()
    {
        var counts = Enum.GetValues<AlertSeverity>().ToDictionary(s => s, _ => 0);
        foreach (var alert in store.State.Open.Values)
        {
            counts[alert.Severity]++;
        }

        return Task.FromResult<IReadOnlyDictionary<AlertSeverity, int>>(counts);
    }

    public Task<AlertChanges> Since(long seq)
    {
        var head = store.State.Seq;
        if (seq >= head)
        {
            return Task.FromResult(new AlertChanges { Head = head });
        }

        List<Alert> changed = [.. store.State.Open.Values.Concat(store.State.Closed).Where(a => a.Seq > seq).OrderBy(a => a.Seq)];
        if (changed.Count > AlertChanges.MostReturned)
        {
            changed.RemoveRange(AlertChanges.MostReturned, changed.Count - AlertChanges.MostReturned);
            head = changed[^1].Seq;
        }

        return Task.FromResult(new AlertChanges { Alerts = changed, Head = head });
    }

    /// <summary>
    /// Appends the closed alerts not yet in history, then writes the state. History being down holds back no raise, clear
    /// or acknowledgement: the alerts stay in the stored <see cref="AlertLedgerState.Unarchived"/> list and go with the next
    /// change. When the state cannot be written the activation goes, so the caller's retry starts from what is stored (an
    /// alert appended twice that way is read back once).
    /// </summary>
    private async Task WriteAsync()
    {
        await ArchiveAsync();
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task ArchiveAsync()
    {
        var unarchived = store.State.Unarchived;
        if (unarchived.Count == 0)
        {
            return;
        }

        var writing = unarchived.ToArray();
        try
        {
            var now = time.GetUtcNow();
            await Task.WhenAll(writing.Select(alert => history.AppendAsync(AlertRecords.ToRecord(alert, now))));
            unarchived.RemoveRange(0, writing.Length);
        }
        catch (Exception ex)
        {
            if (ex is not HistoryUnavailableException)
            {
                LogUnarchived(ex, writing.Length);
            }

            if (unarchived.Count > MostUnarchived)
            {
                LogArchiveDropped(unarchived.Count - MostUnarchived);
                unarchived.RemoveRange(0, unarchived.Count - MostUnarchived);
            }
        }
    }

    private AlertUpdate? RaiseOne(Alert alert)
    {
        if (store.State.Open.ContainsKey(alert.Id) || store.State.Closed.Exists(a => a.Id == alert.Id))
        {
            return null;
        }

        var seq = ++store.State.Seq;
        alert = alert with { Trail = [new AlertAudit { At = alert.RaisedAt, Action = "raised", By = System }], Seq = seq, RaisedSeq = seq, Provisional = null };
        store.State.Open[alert.Id] = alert;
        LogRaised(alert.Id, alert.Kind, alert.Severity, alert.Message);
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
        alert = Store(alert);
        LogCleared(alert.Id, alert.Kind);
        return new AlertUpdate { Alert = alert, Raised = false };
    }

    /// <summary>A change: the alert takes the next sequence number and is kept open until it is both cleared and acknowledged; then among the recent closed ones.</summary>
    private Alert Store(Alert alert)
    {
        alert = alert with { Seq = ++store.State.Seq };
        if (alert.IsOpen)
        {
            store.State.Open[alert.Id] = alert;
            return alert;
        }

        store.State.Open.Remove(alert.Id);
        store.State.Unarchived.Add(alert);
        store.State.Closed.Add(alert);
        var kept = options.Value.ClosedKept;
        if (store.State.Closed.Count > kept)
        {
            store.State.Closed.RemoveRange(0, store.State.Closed.Count - kept);
        }

        return alert;
    }

    [LoggerMessage(LogLevel.Warning, "{Count} closed alerts could not be written to history; kept, and written with the next change")]
    private partial void LogUnarchived(Exception ex, int count);

    [LoggerMessage(LogLevel.Error, "{Count} closed alerts dropped unwritten: history stayed down longer than the ledger keeps them")]
    private partial void LogArchiveDropped(int count);

    [LoggerMessage(LogLevel.Information, "Alert {AlertId} ({Kind}) acknowledged by {By}")]
    private partial void LogAcknowledged(string alertId, string kind, string by);

    [LoggerMessage(LogLevel.Warning, "Alert {AlertId} raised ({Kind}, {Severity}): {Message}")]
    private partial void LogRaised(string alertId, string kind, AlertSeverity severity, string message);

    [LoggerMessage(LogLevel.Information, "Alert {AlertId} ({Kind}) cleared")]
    private partial void LogCleared(string alertId, string kind);
}
