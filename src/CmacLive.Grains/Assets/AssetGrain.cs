using System.Text.Json;
using CmacLive.Alerts;
using CmacLive.Detections;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using CmacLive.History;
using CmacLive.Reports;
using CmacLive.Tracking;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// The grain plumbing all asset kinds share: it composes the <see cref="AssetTracker"/> rules with
/// persistence, the liveness timer and the live feed. State is written at once when something that
/// matters changes (profile, working state, online, hazard area) and otherwise at most every
/// <see cref="TrackingOptions.StatePersistInterval"/>, never on every fix.
/// </summary>
public abstract class AssetGrain : Grain, IAssetGrain
{
    /// <summary>A dispatched team's fixes go to its request at most this often (and at once inside the site radius).</summary>
    private static readonly TimeSpan DispatchFixInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Working time is credited as fixes arrive, up to the last whole step of device time (steps counted from the epoch).
    /// Aligned steps make the credit depend on the fixes alone, not on which of them an activation saw: one that starts
    /// again from stored state after a crash credits the same total as one that never stopped.
    /// </summary>
    private static readonly TimeSpan WorkCreditStep = TimeSpan.FromSeconds(15);

    /// <summary>At most this many fixes are replayed to an area that came back (minutes of fixes; the area writes every few seconds).</summary>
    private const int MostReplayed = 5000;

    /// <summary>How far before a replay's start its statuses are read, to know the state in effect then.</summary>
    private static readonly TimeSpan StatusLookBack = TimeSpan.FromHours(12);

    private readonly AssetKind _kind;
    private readonly IPersistentState<AssetTrackState> _store;
    private readonly AssetGrainServices _services;
    private AssetTracker _tracker = new(new AssetTrackState());
    private AssetAlertRules _alerts = null!;
    private IGrainTimer? _timer;
    private bool _dirty;
    private DateTimeOffset _savedAt;
    private DateTimeOffset _dispatchFixSentAt = DateTimeOffset.MinValue;

    // The task area may lack some of this asset's work points: true after a work point it could not take, and in a new
    // activation (the last one may have been lost with its silo before its points reached the area).
    private bool _areaBehind = true;

    // Days whose working time is still to be said to the unit's figures (and those said once already, to be said again).
    private readonly HashSet<DateOnly> _workToSay = [];
    private readonly Dictionary<DateOnly, DateTimeOffset> _workSaidOnce = [];

    private static readonly TimeSpan SayAgainAfter = TimeSpan.FromSeconds(3);
    private bool _dispatchSiteReported;

    protected AssetGrain(AssetKind kind, IPersistentState<AssetTrackState> store, AssetGrainServices services)
    {
        _kind = kind;
        _store = store;
        _services = services;
    }

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => _services.Time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The state object is the one storage read during activation; the tracker works on it in place.
        _tracker = new AssetTracker(_store.State);
        _alerts = new AssetAlertRules(Id, _store.State, _services.AlertRules);
        _savedAt = Now;
        var period = _services.Options.LivenessCheckPeriod;
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

        // The working time said last may have been lost with the figures' silo (they write within a second, not before
        // answering): the recent days are said again on the first tick; saying it again never counts twice.
        foreach (var day in _store.State.WorkCredited.Keys.Where(d => d >= _services.Days.DayOf(Now).AddDays(-1)))
        {
            _workToSay.Add(day);
        }

        // Offline is judged on arrival time: catch up at once on whatever elapsed while inactive
        // (a silo that crashed left its assets stored as online).
        if (_tracker.IsConfigured && _tracker.CheckLiveness(Now, _services.Options.OfflineTimeout))
        {
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (_tracker.State.Alerts.Outbox.Count > 0)
        {
            // A last try; whatever stays is stored and sent by the next activation.
            _services.Logger.LogWarning("Asset {AssetId} deactivating ({Reason}) with {Count} alert signals undelivered", Id, reason, _tracker.State.Alerts.Outbox.Count);
            await DeliverAlertsAsync();
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
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
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
        await _services.History.AppendAsync(new FixRecord(
            Id, fix.DeviceId, fix.Ts, fix.Lat, fix.Lon, fix.Acc, fix.Alt, fix.Spd, fix.Hdg, fix.Bat, receivedAt));
        var change = _tracker.ApplyFix(fix, receivedAt, _services.Areas);
        _alerts.OnHeard(receivedAt);
        NoteDevice(fix.DeviceId);
        if (change.Outcome != ReportOutcome.Duplicate)
        {
            // Late fixes take their place in the entry rule's device-time order; they never move the live position.
            var area = change.Outcome == ReportOutcome.Applied ? _tracker.State.HazardArea : _services.Areas.Locate(fix.Lat, fix.Lon);
            _alerts.OnPosition(fix.Ts, area, receivedAt);
            change = await WorkedAsync(fix, change);
            if (change.Outcome == ReportOutcome.Applied && _tracker.State.WorkCountedUntil is { } counted
                && WorkCreditedUpTo(fix.Ts) is var upTo && upTo > counted)
            {
                await CreditWorkAsync(counted, upTo);
                _tracker.State.WorkCountedUntil = upTo;
            }

            if (change.Outcome == ReportOutcome.Applied)
            {
                await ReportDispatchFixAsync(fix.Ts, fix.Lat, fix.Lon, force: false);
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

        var payload = JsonSerializer.Serialize(new { state = report.State.ToString().ToLowerInvariant(), bat = report.Bat });
        await _services.History.AppendAsync(new EventRecord(Id, report.DeviceId, "status", report.Ts, payload, Now));
        var wasWorking = _tracker.State.State == AssetState.Working;
        var counted = _tracker.State.WorkCountedUntil;
        var change = _tracker.ApplyStatus(report, Now);
        _alerts.OnHeard(Now);
        NoteDevice(report.DeviceId);
        if (change.Outcome == ReportOutcome.Applied)
        {
            _alerts.OnState(report.State, report.Ts, Now);
            if (wasWorking && counted is { } from)
            {
                await CreditWorkAsync(from, report.Ts);
            }

            _tracker.State.WorkCountedUntil = report.State == AssetState.Working ? (wasWorking && counted is { } c && c > report.Ts ? c : report.Ts) : null;
            if (wasWorking && report.State != AssetState.Working && _tracker.State.Position is { } last)
            {
                // The area learns the working period is over, so the next one is not joined to it.
                change = await WorkedAsync(new FixReport { DeviceId = report.DeviceId, Ts = report.Ts, Lat = last.Lat, Lon = last.Lon, Acc = last.Acc }, change, working: false);
            }

            if (_tracker.State.Position is { } at)
            {
                await ReportDispatchFixAsync(report.Ts, at.Lat, at.Lon, force: true);
            }
        }

        return await CommitAsync(change);
    }

    public async Task<ReportOutcome> ProcessDetection(DetectionReport detection)
    {
        if (!_tracker.IsConfigured)
        {
            return NotConfigured(detection.DeviceId);
        }

        var payload = JsonSerializer.Serialize(new
        {
            lat = detection.Lat,
            lon = detection.Lon,
            sensor = detection.Sensor.ToString().ToLowerInvariant(),
            strength = detection.Strength,
            depthCm = detection.DepthCm,
        });
        await _services.History.AppendAsync(new EventRecord(Id, detection.DeviceId, "detection", detection.Ts, payload, Now));

        // Recorded before it is acknowledged; a repeat is the same detection (same device and time).
        var detectionId = DetectionIds.For(detection.DeviceId, detection.Ts);
        await GrainFactory.GetGrain<IDetectionGrain>(detectionId).Record(new Detection
        {
            Id = detectionId,
            AssetId = Id,
            DeviceId = detection.DeviceId,
            Unit = _tracker.State.Profile!.Unit,
            HazardArea = _services.Areas.Locate(detection.Lat, detection.Lon),
            Ts = detection.Ts,
            Lat = detection.Lat,
            Lon = detection.Lon,
            Sensor = detection.Sensor,
            Strength = detection.Strength,
            DepthCm = detection.DepthCm,
        });
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

        var payload = JsonSerializer.Serialize(new
        {
            detectionId = report.DetectionId,
            clutter = report.Find is null,
            category = report.Find is { } f ? FindNames.Of(f.Category) : null,
            model = report.Find?.Model,
            depthCm = report.Find?.DepthCm,
            disposal = report.Find?.Disposal.ToString(),
            note = report.Note,
        });
        await _services.History.AppendAsync(new EventRecord(Id, report.DeviceId, "find", report.Ts, payload, Now));
        var outcome = ReportOutcome.Applied;
        try
        {
            var decided = await GrainFactory.GetGrain<IDetectionGrain>(report.DetectionId).Decide(new DetectionDecision
            {
                Find = report.Find,
                By = $"{Id} (device {report.DeviceId})",
                At = report.Ts,
                Note = report.Note,
                FieldAssetId = Id,
                FieldTaskArea = _tracker.State.TaskArea,
            });
            if (decided is null)
            {
                _services.Logger.LogWarning("Asset {AssetId} reported a find for unknown detection {DetectionId}", Id, report.DetectionId);
                outcome = ReportOutcome.Refused;
            }
            else
            {
                // A decision from the field is a change like any other: in the audit trail, under the device.
                await _services.Audit.AppendAsync(new CmacLive.Audit.AuditEntry
                {
                    At = Now,
                    User = $"device:{report.DeviceId}",
                    Action = report.Find is null ? "detection.clutter" : "detection.confirm",
                    Target = $"detection:{report.DetectionId}",
                    Detail = payload,
                }, CancellationToken.None);
            }
        }
        catch (DetectionConflictException ex)
        {
            _services.Logger.LogWarning("Asset {AssetId}: find for detection {DetectionId} refused: {Reason}", Id, report.DetectionId, ex.Message);
            outcome = ReportOutcome.Refused;
        }
        catch (DetectionForbiddenException ex)
        {
            _services.Logger.LogWarning("Asset {AssetId}: find for detection {DetectionId} forbidden: {Reason}", Id, report.DetectionId, ex.Message);
            outcome = ReportOutcome.Forbidden;
        }

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
            _services.Logger.LogInformation("Asset {AssetId} task: {Previous} -> {Code}", Id, previous ?? "none", code ?? "none");
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
            if (previous is not null)
            {
                await DetachFromAsync(previous);
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
        await DetachFromAsync(code);
        return _tracker.ToStatus(Id);
    }

    public async Task<DispatchClaim?> ClaimDispatch(DispatchTask task)
    {
        if (!_tracker.IsConfigured)
        {
            return null;
        }

        var state = _tracker.State;
        if (_kind != AssetKind.Team || !state.Profile!.Capabilities.Contains(DispatchRules.EodCapability))
        {
            throw new DispatchConflictException($"'{Id}' is not an EOD-capable team (capability '{DispatchRules.EodCapability}')");
        }

        if (state.Dispatch is { } current && current.RequestId != task.RequestId)
        {
            throw new DispatchConflictException($"team '{Id}' is already assigned to request '{current.RequestId}'");
        }

        if (state.State == AssetState.Sos)
        {
            throw new DispatchConflictException($"team '{Id}' is in SOS");
        }

        if (state.Dispatch != task)
        {
            state.Dispatch = task;
            _dispatchFixSentAt = DateTimeOffset.MinValue;
            _dispatchSiteReported = false;
            _services.Logger.LogInformation("Team {AssetId} dispatched to request {RequestId}", Id, task.RequestId);
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }

        return new DispatchClaim { Status = _tracker.ToStatus(Id), Devices = [.. state.Devices] };
    }

    public async Task<IReadOnlyList<string>> ReleaseDispatch(string requestId)
    {
        if (_tracker.IsConfigured && _tracker.State.Dispatch?.RequestId == requestId)
        {
            _tracker.State.Dispatch = null;
            _services.Logger.LogInformation("Team {AssetId} released from request {RequestId}", Id, requestId);
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }

        return [.. _tracker.State.Devices];
    }

    public async Task ConnectionLost(string deviceId)
    {
        if (_tracker.IsConfigured && _tracker.MarkOffline())
        {
            _services.Logger.LogInformation("Asset {AssetId} offline: device {DeviceId} lost its connection", Id, deviceId);
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }
    }

    public async Task ReplayWork(string code, DateTimeOffset since)
    {
        var state = _tracker.State;
        List<WorkSample> samples = [];
        try
        {
            if (_tracker.IsConfigured && state.TaskArea == code)
            {
                // The fixes after `since`, and the statuses from well before it, to know which fell in a working period.
                var until = Now.AddMinutes(1);
                var fixes = await _services.History.ReadTrackAsync(Id, since, until, MostReplayed, CancellationToken.None);
                var events = await _services.History.ReadEventsAsync(Id, "status", since - StatusLookBack, until, MostReplayed, CancellationToken.None);
                var statuses = events.Select(e => (e.Ts, State: StateOf(e.Payload))).ToList();
                var before = statuses.Count > 0 && statuses[0].Ts <= since ? AssetState.Unknown
                    : state.StateTs is { } at && at <= since ? state.State : AssetState.Unknown;
                samples = WorkReplay.Samples(Id, _kind, since, fixes, statuses, state.WorkRun, before);
            }
        }
        catch (Exception ex)
        {
            _services.Logger.LogWarning(ex, "Asset {AssetId}: its fixes since {Since} could not be read for area {Code}", Id, since, code);
        }

        try
        {
            await GrainFactory.GetGrain<IHazardAreaGrain>(code).Replayed(Id, samples);
        }
        catch (Exception ex)
        {
            _services.Logger.LogWarning(ex, "Asset {AssetId}: area {Code} could not take its replayed fixes", Id, code);
        }
    }

    private static AssetState StateOf(string payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.TryGetProperty("state", out var state) && Enum.TryParse<AssetState>(state.GetString(), ignoreCase: true, out var parsed)
                ? parsed
                : AssetState.Unknown;
        }
        catch (JsonException)
        {
            return AssetState.Unknown;
        }
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

    /// <summary>
    /// Tells a dispatched team's request where it is, one-way (the request never waits on the team, nor the
    /// team on the request): at once inside the site radius or when <paramref name="force"/>d, otherwise every few seconds.
    /// </summary>
    private async Task ReportDispatchFixAsync(DateTimeOffset ts, double lat, double lon, bool force)
    {
        if (_tracker.State.Dispatch is not { } task)
        {
            return;
        }

        var inside = TeamRanking.DistanceM(lat, lon, task.Lat, task.Lon) <= task.OnSiteRadiusM;
        if (!force && !(inside && !_dispatchSiteReported) && Now - _dispatchFixSentAt < DispatchFixInterval)
        {
            return;
        }

        _dispatchFixSentAt = Now;
        _dispatchSiteReported |= inside;
        try
        {
            await GrainFactory.GetGrain<IDispatchRequestGrain>(task.RequestId)
                .TeamMoved(Id, new TeamFix { Ts = ts, Lat = lat, Lon = lon, State = _tracker.State.State });
        }
        catch (Exception ex)
        {
            _services.Logger.LogWarning(ex, "Team {AssetId}: its position could not reach request {RequestId}", Id, task.RequestId);
        }
    }

    private async Task<ReportOutcome> CommitAsync(TrackChange change)
    {
        if (change.StatusChanged)
        {
            _dirty = true;
            _services.Feed.Publish(_tracker.ToStatus(Id));
        }

        // An alert raised or cleared is stored before it is sent, so a crash can only send it again.
        var alerting = _tracker.State.Alerts.Outbox.Count > 0;
        if (change.Significant || alerting)
        {
            await SaveAsync();
        }

        if (alerting)
        {
            await DeliverAlertsAsync();
        }

        return change.Outcome;
    }

    /// <summary>
    /// Sends a working fix (or the end of a working period) to the asset's task area. The fix is already
    /// in history; if the area cannot take it, the failure is logged and the fix still counts as stored.
    /// </summary>
    private async Task<TrackChange> WorkedAsync(FixReport fix, TrackChange change, bool working = true)
    {
        var state = _tracker.State;
        if (state.TaskArea is not { } task || (working && (state.State != AssetState.Working || state.StateTs is not { } since || fix.Ts < since)))
        {
            return change;
        }

        try
        {
            var area = GrainFactory.GetGrain<IHazardAreaGrain>(task);
            if (_areaBehind)
            {
                // Work points may have missed the area (a failover, or this asset lost with a silo): it replays them first.
                await area.Resync(Id);
                _areaBehind = false;
            }

            var attached = await area.Worked(new WorkSample
            {
                AssetId = Id,
                Kind = _kind,
                Run = state.WorkRun,
                Ts = fix.Ts,
                Lat = fix.Lat,
                Lon = fix.Lon,
                Acc = fix.Acc,
                Working = working,
            });
            if (!attached && _tracker.AssignTask(null))
            {
                // The area no longer lists this asset (released, or the asset was taken off it).
                _services.Logger.LogInformation("Asset {AssetId} no longer has a task: {Code} does not list it", Id, task);
                _alerts.OnTaskChanged(Now);
                return change with { StatusChanged = true, Significant = true };
            }
        }
        catch (Exception ex)
        {
            _areaBehind = true;
            _services.Logger.LogWarning(ex, "Asset {AssetId}: hazard area {Code} could not take a work point; it is replayed from history with the next one", Id, task);
        }

        return change;
    }

    /// <summary>The last whole <see cref="WorkCreditStep"/> of device time at or before <paramref name="ts"/>.</summary>
    private static DateTimeOffset WorkCreditedUpTo(DateTimeOffset ts) =>
        new(ts.UtcTicks - ts.UtcTicks % WorkCreditStep.Ticks, TimeSpan.Zero);

    /// <summary>
    /// Credits working time (device time, cut at local midnights) to the unit's daily figures. A silence
    /// longer than <see cref="ReportOptions.MaxSilentWork"/> is credited only that much.
    /// </summary>
    private async Task CreditWorkAsync(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from || _tracker.State.Profile is not { } profile)
        {
            return;
        }

        if (to - from > _services.Reports.MaxSilentWork)
        {
            to = from + _services.Reports.MaxSilentWork;
        }

        var credited = _tracker.State.WorkCredited;
        var pieces = _services.Days.Split(from, to).ToList();
        foreach (var (day, duration) in pieces)
        {
            credited[day] = (credited.TryGetValue(day, out var known) ? known : 0) + duration.TotalSeconds;
        }

        foreach (var old in credited.Keys.Where(d => d < pieces[^1].Day.AddDays(-Reports.UnitFiguresGrain.SourcesKeptDays)).ToList())
        {
            credited.Remove(old);
        }

        _dirty = true;
        foreach (var (day, _) in pieces)
        {
            _workToSay.Add(day);
            _workSaidOnce.Remove(day); // a new total: said now and once more
        }

        await SayWorkAsync();
    }

    /// <summary>
    /// Says the working time of the days in <see cref="_workToSay"/>, in full, to the unit's figures; a day stays to be
    /// said once more on the next tick (the figures write a change within a second, not before answering), and until said.
    /// </summary>
    private async Task SayWorkAsync()
    {
        if (_workToSay.Count == 0 || _tracker.State.Profile is not { } profile)
        {
            return;
        }

        var kind = profile.Kind.ToString().ToLowerInvariant();
        foreach (var day in _workToSay.Order().ToList())
        {
            if (!_tracker.State.WorkCredited.TryGetValue(day, out var seconds))
            {
                _workToSay.Remove(day);
                continue;
            }

            try
            {
                await UnitFigures.Of(GrainFactory, profile.Unit, day).Set(day, UnitFigures.Work(Id), new DayFigures
                {
                    WorkingSeconds = new Dictionary<string, double> { [kind] = seconds },
                });
            }
            catch (Exception ex)
            {
                _services.Logger.LogWarning(ex, "Asset {AssetId}: working time of {Day} could not be credited to {Unit}; retrying", Id, day, profile.Unit);
                return;
            }

            // Said once more no sooner than a few seconds later: by then the first is written, or lost with a silo.
            if (_workSaidOnce.TryGetValue(day, out var saidAt))
            {
                if (Now - saidAt >= SayAgainAfter)
                {
                    _workToSay.Remove(day);
                    _workSaidOnce.Remove(day);
                }
            }
            else
            {
                _workSaidOnce[day] = Now;
            }
        }
    }

    private async Task DetachFromAsync(string code)
    {
        try
        {
            await GrainFactory.GetGrain<IHazardAreaGrain>(code).Detach(Id);
        }
        catch (Exception ex)
        {
            _services.Logger.LogWarning(ex, "Asset {AssetId}: hazard area {Code} could not take it off its list", Id, code);
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
            _services.Logger.LogError(ex, "Asset {AssetId}: alert signals could not reach the ledger; retrying", Id);
        }
    }

    private async Task OnTick(CancellationToken cancellationToken)
    {
        if (_tracker.IsConfigured)
        {
            _alerts.OnTick(Now);
        }

        await SayWorkAsync();

        if (_tracker.State.Alerts.Outbox.Count > 0)
        {
            await CommitAsync(TrackChange.None(ReportOutcome.Applied));
        }

        if (_tracker.CheckLiveness(Now, _services.Options.OfflineTimeout))
        {
            _services.Logger.LogInformation("Asset {AssetId} offline: nothing heard for {Timeout}", Id, _services.Options.OfflineTimeout);
            await CommitAsync(new TrackChange(ReportOutcome.Applied, true, true));
        }
        else if (_dirty && Now - _savedAt >= _services.Options.StatePersistInterval)
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
        _services.Logger.LogWarning("Report from device {DeviceId} for asset {AssetId}, which is not configured", deviceId, Id);
        return ReportOutcome.UnknownDevice;
    }
}
