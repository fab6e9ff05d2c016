using CmacLive.Alerts;
using CmacLive.HazardAreas;
using CmacLive.History;
using CmacLive.Tracking;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// The grain plumbing all asset kinds share: it composes the <see cref="AssetTracker"/> rules with persistence, the
/// liveness timer and the live feed, and hands the rest to its collaborators: <see cref="AreaWork"/> (work points to the
/// task area, off the acknowledgement path), <see cref="WorkCredit"/> (working time for the daily figures),
/// <see cref="FieldReports"/> (detections and finds), <see cref="AssetJournal"/> (movements, liveness and alerts in
/// history) and <see cref="AssetAlertRules"/>. State is written at once when
/// something that matters changes (profile, working state, online, hazard area) and otherwise at most every
/// <see cref="TrackingOptions.StatePersistInterval"/>, never on every fix.
/// </summary>
public abstract partial class AssetGrain : Grain, IAssetGrain
{
    private readonly AssetKind _kind;
    private readonly IPersistentState<AssetTrackState> _store;
    private readonly ILogger _logger;
    private AssetTracker _tracker = new(new AssetTrackState());
    private AssetAlertRules _alerts = null!;
    private AreaWork _areaWork = null!;
    private WorkCredit _work = null!;
    private FieldReports _reports = null!;
    private AssetJournal _journal = null!;
    private IGrainTimer? _timer;
    private bool _dirty;
    private DateTimeOffset _savedAt;

    protected AssetGrain(AssetKind kind, IPersistentState<AssetTrackState> store, AssetGrainServices services)
    {
        _kind = kind;
        _store = store;
        Services = services;
        _logger = services.Loggers.CreateLogger(GetType()); // each kind's grain under its own category
    }

    protected AssetGrainServices Services { get; }

    /// <summary>The asset's state, which the tracker works on in place.</summary>
    protected AssetTrackState State => _tracker.State;

    protected bool IsConfigured => _tracker.IsConfigured;

    protected string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => Services.Time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The state object is the one storage read during activation; the tracker works on it in place.
        _tracker = new AssetTracker(_store.State);
        _alerts = new AssetAlertRules(Id, _store.State, Services.AlertRules);
        _areaWork = new AreaWork(Id, _kind, GrainFactory, Services);
        _work = new WorkCredit(Id, _store.State, GrainFactory, Services);
        _reports = new FieldReports(Id, GrainFactory, Services);
        _journal = new AssetJournal(Id, _store.State, Services);
        _savedAt = Now;
        var period = Services.Options.LivenessCheckPeriodOf(_kind);
        _timer = this.RegisterGrainTimer(OnTick, new GrainTimerCreationOptions(period, period) { Interleave = false });

        if (_tracker.State.Profile is { Capabilities.Count: > 0 } profile)
        {
            // Capability rosters (which teams can be dispatched) are kept by registration; an asset stored
            // before they existed joins them here. Joining again writes nothing.
            var asset = new AssetRef { Id = Id, Kind = _kind };
            foreach (var capability in profile.Capabilities)
            {
                await GrainFactory.GetGrain<ICapabilityRosterGrain>(capability).Add(asset);
            }
        }

        _work.Activated();

        // Offline is judged on arrival time: catch up at once on whatever elapsed while inactive
        // (a silo that crashed left its assets stored as online).
        if (_tracker.IsConfigured && _tracker.CheckLiveness(Now, Services.Options.OfflineTimeoutOf(_kind)))
        {
            await CommitAsync(TrackChange.Shown);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (_tracker.State.Alerts.Outbox.Count > 0)
        {
            // A last try; whatever stays is stored and sent by the next activation.
            LogDeactivatingWithAlerts(Id, reason, _tracker.State.Alerts.Outbox.Count);
            await DeliverAlertsAsync();
        }

        await RecordJournalAsync(); // a last try for events history could not take yet

        // Work points still queued go to the area if they can; any lost here are replayed from history by the next activation.
        try
        {
            await _areaWork.DrainAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogDeactivatingWithWork(Id, reason);
        }

        if (_dirty)
        {
            await SaveAsync();
        }
    }

    public async Task<AssetStatus> Configure(AssetProfile profile)
    {
        if (profile.Kind != _kind)
        {
            throw new AssetKindConflictException(Id, _kind, profile.Kind);
        }

        if (_tracker.Configure(profile) || !_store.RecordExists)
        {
            await CommitAsync(TrackChange.Shown);
        }

        return _tracker.ToStatus(Id);
    }

    public Task<AssetStatus?> GetStatus() =>
        Task.FromResult(_tracker.IsConfigured ? _tracker.ToStatus(Id) : null);

    // Each report is in durable history before it touches live state, so what a dashboard sees and what
    // a device has had acknowledged are always in history; a repeated report is stored once.
    public async Task<ReportOutcome> ProcessFix(FixReport fix)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(fix.DeviceId);
        }

        var receivedAt = Now;
        await Services.History.AppendAsync(new FixRecord(
            Id, fix.DeviceId, fix.Ts, fix.Lat, fix.Lon, fix.Acc, fix.Alt, fix.Spd, fix.Hdg, fix.Bat, receivedAt));
        var change = _tracker.ApplyFix(fix, receivedAt, Services.Areas);
        _alerts.OnHeard(receivedAt);
        NoteDevice(fix.DeviceId);
        if (change.Outcome != ReportOutcome.Duplicate)
        {
            // Late fixes take their place in the entry rule's device-time order; they never move the live position.
            var area = change.Outcome == ReportOutcome.Applied ? _tracker.State.HazardArea : Services.Areas.Locate(fix.Lat, fix.Lon);
            _alerts.OnPosition(fix.Ts, area, receivedAt);
            Worked(fix);
            if (change.Outcome == ReportOutcome.Applied)
            {
                _dirty |= await _work.FixAsync(fix.Ts);
                await MovedAsync(fix.Ts, fix.Lat, fix.Lon, force: false);
                if (_journal.Fixed(fix, receivedAt))
                {
                    change = change with { Significant = true }; // entered or left: stored at once
                }
            }
        }

        return await CommitAsync(change);
    }

    public async Task<ReportOutcome> ProcessStatus(StatusReport report)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(report.DeviceId);
        }

        var payload = System.Text.Json.JsonSerializer.Serialize(new { state = WireNames.Of(report.State), bat = report.Bat });
        await Services.History.AppendAsync(new EventRecord(Id, report.DeviceId, "status", report.Ts, payload, Now));
        var wasWorking = _tracker.State.State == AssetState.Working;
        var counted = _tracker.State.WorkCountedUntil;
        var change = _tracker.ApplyStatus(report, Now);
        _alerts.OnHeard(Now);
        NoteDevice(report.DeviceId);
        if (change.Outcome == ReportOutcome.Applied)
        {
            _alerts.OnState(report.State, report.Ts, Now);
            _dirty |= await _work.StatusAsync(wasWorking, counted, report);
            if (wasWorking && report.State != AssetState.Working && _tracker.State.Position is { } last)
            {
                // The area learns the working period is over, so the next one is not joined to it.
                Worked(new FixReport { DeviceId = report.DeviceId, Ts = report.Ts, Lat = last.Lat, Lon = last.Lon, Acc = last.Acc }, working: false);
            }

            if (_tracker.State.Position is { } at)
            {
                await MovedAsync(report.Ts, at.Lat, at.Lon, force: true);
            }
        }
        else if (change.Outcome == ReportOutcome.Late)
        {
            _alerts.OnOvertaken(report.State, report.Ts, Now);
        }

        return await CommitAsync(change);
    }

    public async Task<ReportOutcome> ProcessDetection(DetectionReport detection)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(detection.DeviceId);
        }

        // Recorded before it is acknowledged.
        await _reports.DetectedAsync(detection, _tracker.State.Profile!.Unit);
        var change = _tracker.ApplyHeard(detection.Ts, Now);
        _alerts.OnHeard(Now);
        return await CommitAsync(change);
    }

    public async Task<ReportOutcome> ProcessFind(FindReport report)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(report.DeviceId);
        }

        var outcome = await _reports.DecidedAsync(report, _tracker.State.TaskArea);
        var change = _tracker.ApplyHeard(report.Ts, Now);
        _alerts.OnHeard(Now);
        await CommitAsync(change);
        return outcome;
    }

    public async Task<AssetStatus?> AssignTask(string? code)
    {
        if (!_tracker.IsConfigured)
        {
            return null;
        }

        var asset = new AssetRef { Id = Id, Kind = _kind };
        if (code is not null)
        {
            // The area accepts first (or refuses: undefined, released); attaching again is harmless.
            await GrainFactory.GetGrain<IHazardAreaGrain>(code).Attach(asset);
        }

        var previous = _tracker.State.TaskArea;
        if (_tracker.AssignTask(code))
        {
            _alerts.OnTaskChanged(Now);
            LogTaskChanged(Id, previous ?? "none", code ?? "none");
            await CommitAsync(TrackChange.Shown);
            if (previous is not null)
            {
                await _areaWork.DetachAsync(previous);
            }
        }

        return _tracker.ToStatus(Id);
    }

    public async Task<AssetStatus?> ReleaseTask(string code)
    {
        if (!_tracker.IsConfigured)
        {
            return null;
        }

        if (_tracker.State.TaskArea == code)
        {
            return await AssignTask(null);
        }

        // Not this asset's task (any more): make sure the area does not list it either.
        await _areaWork.DetachAsync(code);
        return _tracker.ToStatus(Id);
    }

    public async Task ConnectionLost(string deviceId)
    {
        if (_tracker.IsConfigured && _tracker.MarkOffline())
        {
            LogConnectionLost(Id, deviceId);
            await CommitAsync(TrackChange.Shown);
        }
    }

    public Task ReplayWork(string code, DateTimeOffset since) => _areaWork.ReplayAsync(_tracker.State, code, since);

    /// <summary>The asset moved (or changed state, when <paramref name="force"/>d): a team tells its dispatch request.</summary>
    protected virtual Task MovedAsync(DateTimeOffset ts, double lat, double lon, bool force) => Task.CompletedTask;

    /// <summary>The asset's live status, as dashboards see it.</summary>
    protected AssetStatus Status() => _tracker.ToStatus(Id);

    /// <summary>
    /// Publishes a changed status to the dashboards, stores what matters at once (and an alert raised or cleared before
    /// it is sent, so a crash can only send it again), and hands the ledger any alert signals.
    /// </summary>
    protected async Task<ReportOutcome> CommitAsync(TrackChange change)
    {
        if (TaskLeft() is { } left)
        {
            change = change with { StatusChanged = true, Significant = true };
            LogTaskLeft(Id, left);
        }

        if (change.StatusChanged)
        {
            _dirty = true;
            Services.Feed.Publish(_tracker.ToStatus(Id));
        }

        _journal.Liveness(Now);
        var alerting = _tracker.State.Alerts.Outbox.Count > 0;
        if (alerting)
        {
            _journal.Alerts(Now);
        }

        if (change.Significant || alerting)
        {
            await SaveAsync();
        }

        if (alerting)
        {
            await DeliverAlertsAsync();
        }

        await RecordJournalAsync();
        return change.Outcome;
    }

    /// <summary>
    /// Queues a working fix (or the end of a working period) for the asset's task area; the fix is already in history, so
    /// the acknowledgement does not wait for the area.
    /// </summary>
    private void Worked(FixReport fix, bool working = true)
    {
        var state = _tracker.State;
        if (state.TaskArea is not { } task || (working ? _tracker.WorkRunAt(fix.Ts) : state.WorkRun) is not { } run)
        {
            return;
        }

        _areaWork.Add(task, new WorkSample
        {
            AssetId = Id,
            Kind = _kind,
            Run = run,
            Ts = fix.Ts,
            Lat = fix.Lat,
            Lon = fix.Lon,
            Acc = fix.Acc,
            Working = working,
        });
    }

    /// <summary>The task area answered that it no longer lists this asset (released, or the asset was taken off it): the task ends here.</summary>
    private string? TaskLeft()
    {
        if (_areaWork.TakeLeft() is not { } code || _tracker.State.TaskArea != code || !_tracker.AssignTask(null))
        {
            return null;
        }

        _alerts.OnTaskChanged(Now);
        return code;
    }

    /// <summary>Remembers which devices report for the asset (newest first, at most four), so downlinks reach them.</summary>
    private void NoteDevice(string deviceId)
    {
        var devices = _tracker.State.Devices;
        if (devices.Count > 0 && devices[0] == deviceId)
        {
            return;
        }

        devices.Remove(deviceId);
        devices.Insert(0, deviceId);
        if (devices.Count > 4)
        {
            devices.RemoveAt(devices.Count - 1);
        }

        _dirty = true;
    }

    /// <summary>The asset's events into history, after its state and alerts: a history outage holds back neither.</summary>
    private async Task RecordJournalAsync()
    {
        var dropped = _journal.Dropped;
        try
        {
            await _journal.FlushAsync();
        }
        catch (HistoryUnavailableException)
        {
            // The history store logs the outage itself; the events wait for the next commit.
        }
        catch (Exception ex)
        {
            LogJournalUnwritten(ex, Id);
        }

        if (_journal.Dropped > dropped)
        {
            LogJournalDropped(Id, _journal.Dropped - dropped, AssetJournal.MostQueued);
        }
    }

    /// <summary>Hands undelivered alert signals to the ledger; they stay in the stored outbox until it takes them.</summary>
    private async Task DeliverAlertsAsync()
    {
        try
        {
            _dirty |= await AlertOutbox.DeliverAsync(GrainFactory, _tracker.State.Alerts.Outbox);
        }
        catch (Exception ex)
        {
            LogAlertsUndelivered(ex, Id);
        }
    }

    private async Task OnTick(CancellationToken cancellationToken)
    {
        if (_tracker.IsConfigured)
        {
            _alerts.OnTick(Now);
        }

        await _work.SayAsync();

        // Alert signals still to deliver, or a task area that no longer lists the asset.
        await CommitAsync(TrackChange.None(ReportOutcome.Applied));

        if (_tracker.CheckLiveness(Now, Services.Options.OfflineTimeoutOf(_kind)))
        {
            LogSilent(Id, Services.Options.OfflineTimeoutOf(_kind));
            await CommitAsync(TrackChange.Shown);
        }
        else if (_dirty && Now - _savedAt >= Services.Options.StatePersistInterval)
        {
            await SaveAsync();
        }
    }

    private async Task SaveAsync()
    {
        await _store.WriteStateAsync();
        _dirty = false;
        _savedAt = Now;
    }

    private ReportOutcome NotConfigured(string deviceId)
    {
        LogNotConfigured(deviceId, Id);
        return ReportOutcome.UnknownDevice;
    }

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}'s events (movements, liveness, alerts) could not be written to history; kept for its next commit")]
    private partial void LogJournalUnwritten(Exception ex, string assetId);

    [LoggerMessage(LogLevel.Error, "Asset {AssetId} dropped {Count} events history could not take (more than {Most} waiting)")]
    private partial void LogJournalDropped(string assetId, int count, int most);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId} deactivating ({Reason}) with {Count} alert signals undelivered")]
    private partial void LogDeactivatingWithAlerts(string assetId, DeactivationReason reason, int count);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId} deactivating ({Reason}) before its work points reached its area")]
    private partial void LogDeactivatingWithWork(string assetId, DeactivationReason reason);

    [LoggerMessage(LogLevel.Information, "Asset {AssetId} task: {Previous} -> {Code}")]
    private partial void LogTaskChanged(string assetId, string previous, string code);

    [LoggerMessage(LogLevel.Information, "Asset {AssetId} offline: device {DeviceId} lost its connection")]
    private partial void LogConnectionLost(string assetId, string deviceId);

    [LoggerMessage(LogLevel.Information, "Asset {AssetId} no longer has a task: {Code} does not list it")]
    private partial void LogTaskLeft(string assetId, string code);

    [LoggerMessage(LogLevel.Error, "Asset {AssetId}: alert signals could not reach the ledger; retrying")]
    private partial void LogAlertsUndelivered(Exception ex, string assetId);

    [LoggerMessage(LogLevel.Information, "Asset {AssetId} offline: nothing heard for {Timeout}")]
    private partial void LogSilent(string assetId, TimeSpan timeout);

    [LoggerMessage(LogLevel.Warning, "Report from device {DeviceId} for asset {AssetId}, which is not configured")]
    private partial void LogNotConfigured(string deviceId, string assetId);
}
