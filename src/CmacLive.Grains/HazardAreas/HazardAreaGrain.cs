using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Clearance;
using CmacLive.Detections;
using CmacLive.Geo;
using CmacLive.Reports;
using CmacLive.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.HazardAreas;

/// <summary>
/// One hazard area: definition, land-release lifecycle (every step audited), assigned assets, the live
/// searched footprint and the separation of the assets working in it. Work points are added as they
/// come and merged into the footprint every <see cref="ClearanceOptions.FlushInterval"/> (or when the
/// area is read), which also pushes <c>hazardAreaUpdated</c> when the searched area grew.
/// </summary>
public sealed partial class HazardAreaGrain(
    [PersistentState("area", StorageNames.Main)] IPersistentState<HazardAreaState> store,
    HazardAreaCatalog catalog,
    TimeProvider time,
    IOptions<ClearanceOptions> clearance,
    IOptions<AlertOptions> alerts,
    ReportDays days,
    Live.LiveFeed feed,
    ILogger<HazardAreaGrain> logger) : Grain, IHazardAreaGrain
{
    /// <summary>The audit trail keeps this many steps (a lifecycle has a handful).</summary>
    public const int TransitionsKept = 100;

    /// <summary>For an asset with no joined point in the stored footprint, fixes received this long before the write are replayed too.</summary>
    private static readonly TimeSpan ReplayMargin = TimeSpan.FromSeconds(5);

    /// <summary>How long an asset has to replay its fixes before its held work points are applied without them.</summary>
    private static readonly TimeSpan ReplayWait = TimeSpan.FromSeconds(60);

    /// <summary>A figure is said once more no sooner than this after a change: by then the first is written, or lost with a silo.</summary>
    private static readonly TimeSpan SayAgainAfter = TimeSpan.FromSeconds(3);

    /// <summary>An asset that has not answered a replay is asked again this often.</summary>
    private static readonly TimeSpan ReplayRetry = TimeSpan.FromSeconds(3);

    private SearchedFootprint? _footprint;
    private SeparationWatch? _separation;
    private IGrainTimer? _timer;
    private bool _dirty;
    private DateTimeOffset _savedAt;

    // Assets whose fixes since the stored footprint are being replayed from history (the area came back after a crash,
    // or after being idle): their live work points wait here meanwhile, to be merged in time order.
    private readonly Dictionary<string, List<WorkSample>> _held = new(StringComparer.Ordinal);

    // For each asset held: what it was asked to replay, when first and when last asked (an ask is one-way: one that
    // went to a silo being lost is lost, so it is asked again).
    private readonly Dictionary<string, (AssetRef Asset, DateTimeOffset Since, DateTimeOffset First, DateTimeOffset Last)> _asked = new(StringComparer.Ordinal);

    // The newest device time of a work point applied per asset in this activation: where a resync replays from.
    private readonly Dictionary<string, DateTimeOffset> _lastPoint = new(StringComparer.Ordinal);

    // What the unit's figures were last told the area searched on its credit day (null: not told since activation),
    // and what the stored state says it searched that day.
    private double? _searchedSaid;
    private double _searchedStored;
    private bool _searchedSayAgain;
    private DateTimeOffset _searchedSaidAt;

    private HazardAreaState State => store.State;

    private string Code => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Definition is { } definition)
        {
            Build(definition, State.Footprint);
            _searchedStored = SearchedToday;
            AskReplay();
        }

        _savedAt = Now;
        var period = clearance.Value.FlushInterval;
        _timer = this.RegisterGrainTimer(OnTick, new GrainTimerCreationOptions(period, period) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (State.Separation.Outbox.Count > 0)
        {
            await DeliverAlertsAsync(); // a last try; whatever stays is stored and sent by the next activation
        }

        if (_dirty)
        {
            await SaveAsync();
        }
    }

    public async Task<HazardAreaView> Define(HazardAreaDefinition definition, string by)
    {
        var previous = State.Definition;
        var statusBefore = previous is null ? (HazardAreaStatus?)null : State.Status;
        if (previous is null || State.Status is HazardAreaStatus.Suspected or HazardAreaStatus.Confirmed)
        {
            // Before clearance starts, the status follows the survey type; later steps come from the lifecycle.
            State.Status = definition.Type == HazardAreaType.Cha ? HazardAreaStatus.Confirmed : HazardAreaStatus.Suspected;
        }

        if (statusBefore != State.Status)
        {
            Audit(new StatusTransition { From = statusBefore, To = State.Status, At = Now, By = by, Note = previous is null ? "defined" : "redefined" });
        }

        State.Definition = definition;
        if (previous is null || !previous.GeometryWkb.AsSpan().SequenceEqual(definition.GeometryWkb))
        {
            // A new outline keeps what was searched inside it; what now lies outside is no longer counted.
            var searched = _footprint?.SearchedWgs84();
            Build(definition, null);
            if (searched is not null)
            {
                _footprint!.AddSearched(searched);
            }
        }

        await SaveAsync();
        if (definition.Unit is { } unit)
        {
            await GrainFactory.GetGrain<IUnitDirectoryGrain>(0).Add(unit);
        }

        await ClaimProjectAsync(previous?.Project, definition.Project);
        catalog.Apply(definition.Code, HazardAreaGeometry.FromWkb(definition.GeometryWkb));
        await GrainFactory.GetGrain<IHazardAreaDirectoryGrain>(0).Touch(definition.Code);
        return Publish();
    }

    /// <summary>
    /// Tells the project the area names that it does (again: a retry after a lost answer finishes the job), and the one
    /// it named before, if another, that it no longer does: its ground stops counting there. A project's reader checks
    /// each area it lists still names it, so a word lost here never makes ground count twice.
    /// </summary>
    private async Task ClaimProjectAsync(string? before, string? now)
    {
        if (before is not null && before != now)
        {
            await GrainFactory.GetGrain<IProjectGrain>(before).Unclaim(Code);
        }

        if (now is not null)
        {
            await GrainFactory.GetGrain<IProjectGrain>(now).Claim(Code);
        }
    }

    // Reads read: growth of the footprint is pushed by the timer, within a flush interval.
    public Task<HazardAreaView?> GetView() => Task.FromResult(State.Definition is null ? null : ToView());

    public Task<HazardAreaOutline?> GetOutline() => Task.FromResult(State.Definition is { } definition
        ? new HazardAreaOutline { GeometryWkb = definition.GeometryWkb, View = ToView() }
        : null);

    public Task<HazardAreaDefinition?> GetDefinition() => Task.FromResult(State.Definition);

    public async Task<StatusChangeOutcome?> ChangeStatus(StatusChange change)
    {
        if (State.Definition is not { } definition)
        {
            return null;
        }

        var from = State.Status;
        if (!LandRelease.Allows(from, change.To))
        {
            throw new HazardAreaConflictException($"hazard area '{Code}' is {WireNames.Of(from)}; it cannot become {WireNames.Of(change.To)}");
        }

        if (LandRelease.OutcomeProblem(change.To, change.Outcome, definition.AreaM2) is { } problem)
        {
            throw new HazardAreaConflictException(problem);
        }

        State.Status = change.To;
        State.Outcome = change.Outcome;
        Audit(new StatusTransition { From = from, To = change.To, At = Now, By = change.By, Note = change.Note, Outcome = change.Outcome, OnBehalfOf = change.OnBehalfOf });
        List<AssetRef> letGo = [];
        if (change.To == HazardAreaStatus.Released)
        {
            // Released land has no task any more; the assets learn it from the caller and from their next fix.
            letGo = [.. State.Assets];
            FlushFootprint();
            foreach (var asset in State.Assets)
            {
                _separation!.Remove(asset.Id, Now);
            }

            State.Assets.Clear();
            State.ReleaseCreditDue = days.DayOf(Now);
        }

        LogStatusChanged(Code, from, change.To, change.By);
        await SaveAsync();
        await CreditReleaseAsync();
        await DeliverAlertsAsync();
        return new StatusChangeOutcome { View = Publish(), LetGo = letGo };
    }

    public async Task<HazardAreaView> Attach(AssetRef asset)
    {
        if (State.Definition is null)
        {
            throw new HazardAreaConflictException($"hazard area '{Code}' is not defined");
        }

        if (State.Status == HazardAreaStatus.Released)
        {
            throw new HazardAreaConflictException($"hazard area '{Code}' is released; no asset can be assigned to it");
        }

        if (!State.Assets.Exists(a => a.Id == asset.Id))
        {
            State.Assets.Add(asset);
            await SaveAsync();
            return Publish();
        }

        return ToView();
    }

    public async Task<HazardAreaView?> Detach(string assetId)
    {
        if (State.Assets.RemoveAll(a => a.Id == assetId) == 0)
        {
            return State.Definition is null ? null : ToView();
        }

        _footprint?.Break(assetId);
        _separation?.Remove(assetId, Now);
        await SaveAsync();
        await DeliverAlertsAsync();
        return Publish();
    }

    public async Task<bool> Worked(WorkSample sample)
    {
        if (_footprint is null || State.Status == HazardAreaStatus.Released || !State.Assets.Exists(a => a.Id == sample.AssetId))
        {
            return false;
        }

        if (_held.TryGetValue(sample.AssetId, out var held))
        {
            held.Add(sample); // merged with the asset's replayed fixes, in time order, when they come
            return true;
        }

        ApplyWork(sample);
        if (State.Separation.Outbox.Count > 0)
        {
            await SaveAsync();
            await DeliverAlertsAsync();
        }

        return true;
    }

    public async Task Replayed(string assetId, IReadOnlyList<WorkSample> samples)
    {
        if (!_held.Remove(assetId, out var held))
        {
            return; // not waited for (any more): what arrived meanwhile was applied already
        }

        _asked.Remove(assetId);

        var replayed = samples.Where(s => s.AssetId == assetId).ToList();
        if (replayed.Count > 0)
        {
            LogReplayed(Code, replayed.Count, assetId);
        }

        foreach (var sample in replayed.Concat(held).DistinctBy(s => (s.Ts, s.Working)).OrderBy(s => s.Ts))
        {
            ApplyWork(sample);
        }

        if (State.Separation.Outbox.Count > 0)
        {
            await SaveAsync();
            await DeliverAlertsAsync();
        }
    }

    /// <summary>
    /// Asks every assigned asset for its fixes the stored footprint has not seen: after each asset's last joined point
    /// (or, for one with none, after the state was written), one-way. Its live work points are held until they come.
    /// </summary>
    private void AskReplay()
    {
        if (State.Footprint is not { } stored || State.Status == HazardAreaStatus.Released || State.Assets.Count == 0)
        {
            return;
        }

        foreach (var asset in State.Assets)
        {
            AskReplay(asset, ReplayFrom(stored.Ends.GetValueOrDefault(asset.Id)));
        }
    }

    /// <summary>
    /// From when an asset's fixes are replayed into the stored footprint: after its last joined point; for a path whose
    /// working period was over (or none), from shortly before the state was written, never before that point.
    /// </summary>
    private DateTimeOffset ReplayFrom(TrailEnd? end)
    {
        var written = (State.SavedAt ?? Now) - ReplayMargin;
        if (end is null)
        {
            return written;
        }

        // A closed path: from its end or the write, whichever is earlier, but never before its last point.
        var from = end.ClosedAt is { } closed && closed < written ? closed : written;
        return end.ClosedAt is null || end.Ts > from ? end.Ts : from;
    }

    private void AskReplay(AssetRef asset, DateTimeOffset since)
    {
        _held[asset.Id] = [];
        _asked[asset.Id] = (asset, since, Now, Now);
        _ = AssetGrains.Get(GrainFactory, asset).ReplayWork(Code, since);
    }

    public Task Resync(string assetId)
    {
        if (_footprint is null || State.Status == HazardAreaStatus.Released || _held.ContainsKey(assetId)
            || State.Assets.Find(a => a.Id == assetId) is not { } asset)
        {
            return Task.CompletedTask;
        }

        // After the last point the area has of the asset (or, with none, shortly before its state was last written).
        var since = _lastPoint.TryGetValue(assetId, out var last) ? last
            : ReplayFrom(_footprint.EndOf(assetId));
        LogReplayAsked(Code, assetId, since);
        AskReplay(asset, since);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Asks again every <see cref="ReplayRetry"/> an asset that has not answered its replay (the ask may have gone to a
    /// silo being lost); one that does not answer within <see cref="ReplayWait"/> has its held work points applied without it.
    /// </summary>
    private void ChaseReplays()
    {
        foreach (var (assetId, ask) in _asked.ToList())
        {
            if (Now - ask.First >= ReplayWait)
            {
                LogReplayLate(Code, assetId);
                _asked.Remove(assetId);
                if (_held.Remove(assetId, out var held))
                {
                    foreach (var sample in held.OrderBy(s => s.Ts))
                    {
                        ApplyWork(sample);
                    }
                }
            }
            else if (Now - ask.Last >= ReplayRetry)
            {
                _asked[assetId] = ask with { Last = Now };
                _ = AssetGrains.Get(GrainFactory, ask.Asset).ReplayWork(Code, ask.Since);
            }
        }
    }

    /// <summary>One work point into the footprint (or the end of a working period), and into the separation watch.</summary>
    private void ApplyWork(WorkSample sample)
    {
        if (!_lastPoint.TryGetValue(sample.AssetId, out var last) || sample.Ts > last)
        {
            _lastPoint[sample.AssetId] = sample.Ts;
        }

        var (x, y) = _footprint!.Projection.ToMetres(sample.Lat, sample.Lon);
        if (sample.Working)
        {
            _footprint.Add(new WorkPoint(sample.AssetId, sample.Run, sample.Ts, sample.Lat, sample.Lon, sample.Acc,
                clearance.Value.WidthM.For(sample.Kind)), x, y);
        }
        else
        {
            _footprint.Close(sample.AssetId, sample.Ts);
        }

        _dirty = true;
        _separation!.Update(sample.AssetId, sample.Ts, x, y, sample.Working, Now);
    }

    public async Task CountDetections(DetectionTally tally)
    {
        if (State.Definition is null)
        {
            return;
        }

        State.Detections = tally;
        await SaveAsync();
        Publish();
    }

    public Task<SearchedView?> GetSearched()
    {
        if (State.Definition is null || _footprint is null)
        {
            return Task.FromResult<SearchedView?>(null);
        }

        var view = ToView();
        return Task.FromResult<SearchedView?>(new SearchedView
        {
            Code = Code,
            AreaWkb = State.Definition.GeometryWkb,
            Cells = _footprint.Snapshot().Cells!,
            AreaM2 = view.AreaM2,
            SearchedM2 = view.SearchedM2,
            Percent = view.Percent,
        });
    }

    private async Task OnTick(CancellationToken cancellationToken)
    {
        ChaseReplays();
        if (FlushFootprint())
        {
            Publish();
        }

        if (_dirty && Now - _savedAt >= clearance.Value.PersistInterval)
        {
            await SaveAsync();
        }

        if (State.Separation.Outbox.Count > 0)
        {
            await DeliverAlertsAsync();
        }

        await CreditSearchedAsync();
        await CreditReleaseAsync();
    }

    private void Build(HazardAreaDefinition definition, FootprintState? stored)
    {
        _footprint = new SearchedFootprint(HazardAreaGeometry.FromWkb(definition.GeometryWkb), clearance.Value.ToRules(), stored);
        _separation = new SeparationWatch(Code, definition.Unit, alerts.Value.ToRules(), State.Separation);
    }

    /// <summary>Merges pending work into the footprint; true when the searched area grew.</summary>
    private bool FlushFootprint()
    {
        if (_footprint is null || !_footprint.Flush())
        {
            return false;
        }

        _dirty = true;
        return true;
    }

    private void Audit(StatusTransition transition)
    {
        State.Transitions.Add(transition);
        if (State.Transitions.Count > TransitionsKept)
        {
            State.Transitions.RemoveRange(0, State.Transitions.Count - TransitionsKept);
        }
    }

    private async Task SaveAsync()
    {
        State.Footprint = _footprint?.Snapshot();
        var today = days.DayOf(Now);
        if (State.CreditDay != today)
        {
            // A new day: what was searched until now belongs to the days before (already said to the figures).
            State.SearchedCreditedM2 += SearchedToday;
            State.CreditDay = today;
            _searchedSaid = null;
        }

        State.SavedAt = Now;
        await store.WriteStateAsync();
        _dirty = false;
        _savedAt = Now;
        _searchedStored = SearchedToday;
        await CreditSearchedAsync();
    }

    /// <summary>The ground searched on <see cref="HazardAreaState.CreditDay"/>: the footprint's growth since it began.</summary>
    private double SearchedToday => State.CreditDay is null ? 0 : Math.Max(0, Math.Round((_footprint?.SearchedM2 ?? 0) - State.SearchedCreditedM2, 2));

    /// <summary>
    /// Says to the unit's figures and the area's own, in full, how much the area searched on its credit day, when that changed since it
    /// was last said (or since activation): saying it again never counts twice, and a figure lost with a silo is said again.
    /// </summary>
    private async Task CreditSearchedAsync()
    {
        if (State.Definition is not { } definition || State.CreditDay is not { } day)
        {
            return;
        }

        // Only what is stored: a figure never runs ahead of the footprint a crash would come back to.
        var searched = _searchedStored;
        if ((_searchedSaid == searched && !(_searchedSayAgain && Now - _searchedSaidAt >= SayAgainAfter)) || (_searchedSaid is null && searched == 0))
        {
            return;
        }

        try
        {
            await CreditAsync(definition.Unit, day, UnitFigures.Searched(Code), new DayFigures { SearchedM2 = searched });

            // The figures write a change within a second, not before answering: said once more on the next tick, a
            // figure lost with their silo meanwhile is not lost for good.
            _searchedSayAgain = _searchedSaid != searched;
            _searchedSaid = searched;
            _searchedSaidAt = Now;
        }
        catch (Exception ex)
        {
            LogSearchedNotCredited(ex, Code, definition.Unit ?? "no unit");
        }
    }

    /// <summary>Credits the release outcome to the unit's figures and the area's own under the area's name, until the figures have it.</summary>
    private async Task CreditReleaseAsync()
    {
        if (State.ReleaseCreditDue is not { } day || State.Outcome is not { } outcome)
        {
            return;
        }

        var unit = State.Definition?.Unit;
        try
        {
            await CreditAsync(unit, day, UnitFigures.Released(Code), new DayFigures
            {
                CancelledM2 = outcome.CancelledM2,
                ReducedM2 = outcome.ReducedM2,
                ClearedM2 = outcome.ClearedM2,
            });
        }
        catch (Exception ex)
        {
            LogReleaseNotCredited(ex, Code, unit ?? "no unit");
            return;
        }

        State.ReleaseCreditDue = null;
        _dirty = true;
    }

    /// <summary>
    /// Says what the area did on a day to its unit's figures (when it has a unit: the daily report per unit) and to its
    /// own (what its project's progress sums), both under the same source: saying it again never counts twice.
    /// </summary>
    private async Task CreditAsync(string? unit, DateOnly day, string source, DayFigures figures)
    {
        if (unit is not null)
        {
            await UnitFigures.Of(GrainFactory, unit, day).Set(day, source, figures);
        }

        await UnitFigures.OfArea(GrainFactory, Code, day).Set(day, source, figures);
    }

    /// <summary>Hands undelivered alert signals to the ledger; kept (and stored) until it takes them.</summary>
    private async Task DeliverAlertsAsync()
    {
        try
        {
            _dirty |= await AlertOutbox.DeliverAsync(GrainFactory, State.Separation.Outbox);
        }
        catch (Exception ex)
        {
            LogAlertsUndelivered(ex, Code);
        }
    }

    private HazardAreaView Publish()
    {
        var view = ToView();
        feed.Publish(view);
        return view;
    }

    private HazardAreaView ToView()
    {
        var definition = State.Definition!;
        var searched = _footprint?.SearchedM2 ?? 0;
        return new HazardAreaView
        {
            Code = definition.Code,
            Type = definition.Type,
            Status = State.Status,
            AreaM2 = Math.Round(definition.AreaM2, 1),
            SearchedM2 = Math.Round(searched, 1),
            Percent = definition.AreaM2 > 0 ? Math.Round(Math.Min(100, 100 * searched / definition.AreaM2), 2) : 0,
            Assets = [.. State.Assets.Select(a => a.Id).Order(StringComparer.Ordinal)],
            Finds = State.Detections.Finds,
            FindsByCategory = State.Detections.FindsByCategory,
            OpenDetections = State.Detections.Open,
            Clutter = State.Detections.Clutter,
            Name = definition.Name,
            Province = definition.Province,
            Unit = definition.Unit,
            Priority = definition.Priority,
            Project = definition.Project,
            Outcome = State.Outcome,
            Transitions = [.. State.Transitions],
        };
    }

    [LoggerMessage(LogLevel.Information, "Hazard area {Code}: {From} -> {To} by {By}")]
    private partial void LogStatusChanged(string code, HazardAreaStatus from, HazardAreaStatus to, string by);

    [LoggerMessage(LogLevel.Information, "Hazard area {Code}: {Count} work points of {AssetId} replayed from history (the stored footprint had not seen them)")]
    private partial void LogReplayed(string code, int count, string assetId);

    [LoggerMessage(LogLevel.Information, "Hazard area {Code}: {AssetId} may have work points it never took; replaying its fixes after {Since:O}")]
    private partial void LogReplayAsked(string code, string assetId, DateTimeOffset since);

    [LoggerMessage(LogLevel.Warning, "Hazard area {Code}: {AssetId} did not replay its fixes in time; its footprint may miss some")]
    private partial void LogReplayLate(string code, string assetId);

    [LoggerMessage(LogLevel.Warning, "Hazard area {Code}: searched ground could not be credited to {Unit} and the area's own figures; retrying")]
    private partial void LogSearchedNotCredited(Exception ex, string code, string unit);

    [LoggerMessage(LogLevel.Warning, "Hazard area {Code}: its release could not be credited to {Unit} and the area's own figures; retrying")]
    private partial void LogReleaseNotCredited(Exception ex, string code, string unit);

    [LoggerMessage(LogLevel.Error, "Hazard area {Code}: alert signals could not reach the ledger; retrying")]
    private partial void LogAlertsUndelivered(Exception ex, string code);
}
