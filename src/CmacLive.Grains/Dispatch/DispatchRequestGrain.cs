using System.Text.Json;
using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.History;
using CmacLive.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Dispatch;

/// <summary>
/// One community request. Each step runs in the grain's turn and is stored (ETag-checked) before anything
/// is sent. What follows a stored step (the indexes and the hub, freeing a team, the alert ledger) never
/// undoes it: each is kept in the stored state until done, and retried on the request's reminder, which
/// also keeps the deadlines, so an escalation still fires after the silo that held the request is lost.
/// Calls go from the request to a team (claim, release) and from a team to the request only one-way, so
/// they never wait on each other. Once closed, a request that names its reporter keeps a second reminder until
/// <see cref="DispatchOptions.PersonalDataRetention"/> has run and the reporter's name and phone are erased.
/// </summary>
public sealed partial class DispatchRequestGrain(
    [PersistentState("dispatch", StorageNames.Main)] IPersistentState<DispatchState> store,
    TimeProvider time,
    IOptions<DispatchOptions> options,
    IHistoryStore history,
    Live.LiveFeed feed,
    Downlinks.DownlinkFeed downlinks,
    ILogger<DispatchRequestGrain> logger) : Grain, IDispatchRequestGrain, IRemindable
{
    private const string ReminderName = "dispatch-deadlines";
    private const string RetentionReminderName = "dispatch-personal-data";
    private static readonly TimeSpan ReminderRetry = TimeSpan.FromSeconds(10);

    /// <summary>After its first tick at the erasure's due time, the retention reminder checks again daily until the erasure is stored.</summary>
    private static readonly TimeSpan RetentionCheck = TimeSpan.FromDays(1);

    private readonly DispatchRules _rules = options.Value.ToRules();
    private readonly TimeSpan _check = options.Value.EscalationCheck;
    private DispatchFlow _flow = null!;
    private readonly KeptReminder _deadlines = new(ReminderName);
    private readonly KeptReminder _retention = new(RetentionReminderName);
    private IGrainTimer? _reminderRetry;
    private bool _broken;
    private bool _dirty;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _flow = new DispatchFlow(Id, store.State, _rules);

        // A closed request still holding its reporter (also one closed before the retention existed): erased now when
        // due, otherwise its retention reminder is made sure of.
        if (_flow.PersonalDataDue is not null && !await SyncRetentionReminderAsync())
        {
            KeepRemindersLater();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty && !_broken)
        {
            await store.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<DispatchFiling> File(DispatchReport report, string by, string? onBehalfOf = null)
    {
        EnsureCurrent();
        if (_flow.IsFiled)
        {
            return _flow.IsSameReport(report)
                ? new DispatchFiling { Request = _flow.ToView(), Created = false }
                : throw new DispatchConflictException($"request '{Id}' was filed already with another report");
        }

        // Ranked before anything changes; a report is filed even when the teams cannot be ranked now.
        var (recommendations, whyNone) = await RankAsync(report, _flow.UnitOf(report));
        _flow.File(report, by, Now, onBehalfOf);
        store.State.Recommendations = [.. recommendations];
        store.State.NoRecommendationReason = whyNone;
        await CommitAsync();
        await AfterCommitAsync();
        LogFiled(Id, report.Found, report.Lat, report.Lon, store.State.Priority, recommendations.Count);
        return new DispatchFiling { Request = _flow.ToView(), Created = true };
    }

    public Task<DispatchRequestView?> Get() => Task.FromResult(_flow.IsFiled ? _flow.ToView() : null);

    public async Task<DispatchRequestView?> Recommend()
    {
        if (!_flow.IsFiled)
        {
            return null;
        }

        if (store.State.TeamId is null && !_flow.IsClosed)
        {
            var (recommendations, whyNone) = await RankAsync(store.State.Report!, store.State.Unit);
            store.State.Recommendations = [.. recommendations];
            store.State.NoRecommendationReason = whyNone;
            await CommitAsync();
            await AfterCommitAsync();
        }

        return _flow.ToView();
    }

    public async Task<DispatchRequestView?> Assign(AssetRef team, string by, bool replace, string? onBehalfOf = null)
    {
        EnsureCurrent();
        if (!_flow.IsFiled)
        {
            return null;
        }

        if (!_flow.CheckAssign(team.Id, replace))
        {
            return _flow.ToView();
        }

        if (team.Kind != AssetKind.Team)
        {
            throw Assets.TeamDispatch.NotAnEodTeam(team.Id);
        }

        var teamGrain = AssetGrains.Team(GrainFactory, team.Id);
        var claim = await teamGrain.ClaimDispatch(SiteTask())
            ?? throw new DispatchConflictException($"team '{team.Id}' is not configured");
        try
        {
            var previous = _flow.Assign(claim, by, Now, onBehalfOf);
            if (previous is not null)
            {
                store.State.Releases.Add(new DispatchRelease { TeamId = previous, Command = DispatchCommands.Cancelled(Id, $"given to team {team.Id}") });
            }

            await CommitAsync();
        }
        catch
        {
            // Not stored: the team must not stay taken by an assignment that does not exist.
            await teamGrain.ReleaseDispatch(Id);
            throw;
        }

        LogAssigned(Id, team.Id, by);
        await AfterCommitAsync();
        await SendAssignmentAsync(claim.Devices);
        return _flow.ToView();
    }

    public async Task<DispatchRequestView?> Acknowledge(string? teamId, string? deviceId, DateTimeOffset at, string by, string? onBehalfOf = null)
    {
        EnsureCurrent();
        if (!_flow.IsFiled)
        {
            return null;
        }

        if (deviceId is not null && teamId is not null)
        {
            // The device's word is kept with its other reports before it changes anything.
            await history.AppendAsync(new EventRecord(teamId, deviceId, "ack", at, JsonSerializer.Serialize(new { requestId = Id }), Now));
        }

        if (_flow.Acknowledge(teamId, by, Now, onBehalfOf))
        {
            await CommitAsync();
            LogAcknowledged(Id, by);
            await AfterCommitAsync();
        }

        return _flow.ToView();
    }

    public async Task TeamMoved(string teamId, TeamFix fix)
    {
        if (!_flow.IsFiled || _broken)
        {
            return;
        }

        var before = store.State.Status;
        if (!_flow.TeamMoved(teamId, fix, Now))
        {
            return;
        }

        if (store.State.Status != before)
        {
            await CommitAsync();
            LogTeamStatus(Id, teamId, store.State.Status);
            await AfterCommitAsync();
        }
        else
        {
            // Only the distance changed: shown at once, stored with the next step or on deactivation.
            _dirty = true;
            await PublishAsync();
        }
    }

    public async Task<DispatchRequestView?> Resolve(DispatchOutcome outcome, string by, string? onBehalfOf = null)
    {
        EnsureCurrent();
        if (!_flow.IsFiled)
        {
            return null;
        }

        _flow.Resolve(outcome, by, Now, onBehalfOf);
        ReleaseTeam(null);
        await CommitAsync();
        LogResolved(Id, by, outcome.Result, outcome.Items);
        await AfterCommitAsync();
        return _flow.ToView();
    }

    public async Task<DispatchRequestView?> Cancel(string? reason, string by, string? onBehalfOf = null)
    {
        EnsureCurrent();
        if (!_flow.IsFiled)
        {
            return null;
        }

        _flow.Cancel(reason, by, Now, onBehalfOf);
        ReleaseTeam(DispatchCommands.Cancelled(Id, reason));
        await CommitAsync();
        LogCancelled(Id, by, reason);
        await AfterCommitAsync();
        return _flow.ToView();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == RetentionReminderName)
        {
            await SyncRemindersAsync();
            return;
        }

        if (!_flow.IsFiled || _broken)
        {
            await SyncRemindersAsync();
            return;
        }

        var raised = store.State.OpenAlerts.Count;
        _flow.Escalate(Now);
        if (store.State.OpenAlerts.Count != raised)
        {
            LogEscalated(Id, string.Join(", ", store.State.OpenAlerts));
            await CommitAsync();
        }
        else if (_dirty)
        {
            await store.WriteStateAsync();
            _dirty = false;
        }

        await AfterCommitAsync();
        if (store.State.Status == DispatchStatus.Assigned && Now - (store.State.CommandSentAt ?? store.State.AssignedAt ?? Now) >= _check * 0.9)
        {
            await ResendAssignmentAsync();
        }
    }

    /// <summary>
    /// Stores the request. A write that fails leaves this activation holding a step storage does not have: it
    /// goes, so the next call reads the request afresh, and the caller learns the step did not happen.
    /// </summary>
    private async Task CommitAsync()
    {
        store.State.IndexPending = true;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            _broken = true;
            _dirty = false;
            DeactivateOnIdle();
            throw;
        }

        _dirty = false;
    }

    /// <summary>
    /// Everything a stored step owes the rest of the system, each part kept in state until done and retried on
    /// the reminder: the lists and the hub, teams to free, escalations for the ledger, the reminder itself. Never throws.
    /// </summary>
    private async Task AfterCommitAsync()
    {
        if (store.State.IndexPending && await PublishAsync())
        {
            store.State.IndexPending = false;
            _dirty = true;
        }

        await ReleaseTeamsAsync();
        await DeliverAlertsAsync();
        await SyncRemindersAsync();
    }

    /// <summary>Puts the request's summary in its month's list and the open list, and its view on the hub.</summary>
    private async Task<bool> PublishAsync()
    {
        var summary = _flow.ToSummary();
        var done = true;
        foreach (var index in new[] { IDispatchIndexGrain.MonthOf(summary.ReceivedAt), IDispatchIndexGrain.Open })
        {
            try
            {
                await GrainFactory.GetGrain<IDispatchIndexGrain>(index).Put(summary);
            }
            catch (Exception ex)
            {
                done = false;
                LogIndexFailed(ex, Id, index);
            }
        }

        feed.Publish(_flow.ToView());
        return done;
    }

    /// <summary>The request's team is to be freed once the step that ends its part is stored.</summary>
    private void ReleaseTeam(string? command)
    {
        if (store.State.TeamId is { } teamId)
        {
            store.State.Releases.Add(new DispatchRelease { TeamId = teamId, Command = command });
        }
    }

    /// <summary>Frees the teams this request no longer needs and tells their devices; those that cannot be reached now are tried again on the reminder.</summary>
    private async Task ReleaseTeamsAsync()
    {
        foreach (var release in store.State.Releases.ToList())
        {
            try
            {
                var devices = await AssetGrains.Team(GrainFactory, release.TeamId).ReleaseDispatch(Id);
                if (release.Command is { } command)
                {
                    Send(devices, command);
                }

                store.State.Releases.Remove(release);
                _dirty = true;
            }
            catch (Exception ex)
            {
                LogReleaseFailed(ex, Id, release.TeamId);
            }
        }
    }

    private async Task DeliverAlertsAsync()
    {
        try
        {
            _dirty |= await AlertOutbox.DeliverAsync(GrainFactory, store.State.Outbox);
        }
        catch (Exception ex)
        {
            LogAlertsUndelivered(ex, Id);
        }
    }

    /// <summary>
    /// Keeps the request's reminders as its state needs them (<see cref="SyncDeadlineReminderAsync"/>,
    /// <see cref="SyncRetentionReminderAsync"/>). If the reminder service cannot be reached, a timer of this
    /// activation tries again.
    /// </summary>
    private async Task SyncRemindersAsync()
    {
        var deadlines = await SyncDeadlineReminderAsync();
        var retention = await SyncRetentionReminderAsync();
        if (deadlines && retention)
        {
            _reminderRetry?.Dispose();
            _reminderRetry = null;
        }
        else
        {
            KeepRemindersLater();
        }
    }

    private void KeepRemindersLater() =>
        _reminderRetry ??= this.RegisterGrainTimer(_ => SyncRemindersAsync(), new GrainTimerCreationOptions(ReminderRetry, ReminderRetry) { Interleave = false });

    /// <summary>
    /// Keeps the request's deadline reminder while anything is still to come (a deadline, the assignment to send again,
    /// work owed after a step): it ticks every <see cref="DispatchOptions.EscalationCheck"/>, stored, so the checks
    /// go on after a silo is lost. Once nothing is due it is removed. False when the reminder service could not be reached.
    /// </summary>
    private async Task<bool> SyncDeadlineReminderAsync()
    {
        var state = store.State;
        var owed = state.Outbox.Count > 0 || state.Releases.Count > 0 || state.IndexPending || _dirty;
        var needed = _flow.IsFiled && !_broken && (owed || (!_flow.IsClosed && _flow.NextDue(_check) is not null));
        return await KeepReminderAsync(_deadlines, needed ? (_check, _check) : null);
    }

    /// <summary>
    /// Erases the reporter's name and phone once <see cref="DispatchOptions.PersonalDataRetention"/> has run since the
    /// request closed, and until then keeps a reminder for it: stored, first due at the erasure's time and then daily,
    /// so the erasure happens after a restart or the loss of a silo too; removed once the erasure is stored. An open
    /// request, or one that never named its reporter, has none. False when the reminder service could not be reached.
    /// </summary>
    private async Task<bool> SyncRetentionReminderAsync()
    {
        if (_broken || !_flow.IsClosed)
        {
            return true;
        }

        await ErasePersonalDataAsync();
        var due = _flow.PersonalDataDue;
        if (_broken || (due is null && store.State.PersonalDataErasedAt is null))
        {
            return true; // never named its reporter: never had the reminder
        }

        return await KeepReminderAsync(_retention, due is { } erase ? (Max(erase - Now, TimeSpan.Zero), RetentionCheck) : null);
    }

    /// <summary>
    /// Registers the reminder when it is wanted and not known to be there, removes it when it is there and not wanted.
    /// False when the reminder service could not be reached (what is known of it is then forgotten, to be asked again).
    /// </summary>
    private async Task<bool> KeepReminderAsync(KeptReminder reminder, (TimeSpan Due, TimeSpan Period)? wanted)
    {
        try
        {
            reminder.Known ??= await this.GetReminder(reminder.Name) is not null;
            if (wanted is { } schedule && reminder.Known != true)
            {
                await this.RegisterOrUpdateReminder(reminder.Name, schedule.Due, schedule.Period);
                reminder.Known = true;
            }
            else if (wanted is null && reminder.Known == true)
            {
                if (await this.GetReminder(reminder.Name) is { } registered)
                {
                    await this.UnregisterReminder(registered);
                }

                reminder.Known = false;
            }

            return true;
        }
        catch (Exception ex)
        {
            reminder.Known = null;
            LogReminderFailed(ex, Id, reminder.Name, ReminderRetry);
            return false;
        }
    }

    /// <summary>A reminder of this grain and whether it is known to be registered (null: not known).</summary>
    private sealed class KeptReminder(string name)
    {
        public string Name { get; } = name;

        public bool? Known { get; set; }
    }

    /// <summary>
    /// Erases the reporter's name and phone from the stored request when their retention has run. A write that fails
    /// leaves this activation going (as <see cref="CommitAsync"/> does): the next one reads the request afresh and erases again.
    /// </summary>
    private async Task ErasePersonalDataAsync()
    {
        if (_broken || !_flow.ErasePersonalData(Now))
        {
            return;
        }

        try
        {
            await store.WriteStateAsync();
            _dirty = false;
        }
        catch (Exception ex)
        {
            _broken = true;
            _dirty = false;
            DeactivateOnIdle();
            LogErasureFailed(ex, Id);
            return;
        }

        LogErased(Id, _rules.PersonalDataRetention);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Sends the assignment again, to the devices the team reports from now (a new tracker gets it too).</summary>
    private async Task ResendAssignmentAsync()
    {
        try
        {
            var claim = await AssetGrains.Team(GrainFactory, store.State.TeamId!).ClaimDispatch(SiteTask());
            await SendAssignmentAsync(claim?.Devices ?? store.State.Devices);
        }
        catch (Exception ex)
        {
            LogResendFailed(ex, Id, store.State.TeamId);
        }
    }

    private async Task SendAssignmentAsync(IReadOnlyList<string> devices)
    {
        if (store.State.Status != DispatchStatus.Assigned)
        {
            return;
        }

        if (devices.Count == 0)
        {
            LogNoDevice(Id, store.State.TeamId);
        }

        store.State.Devices = [.. devices];
        Send(devices, DispatchCommands.Assignment(_flow.ToView()));
        store.State.CommandSentAt = Now;
        _dirty = true;
    }

    private void Send(IEnumerable<string> devices, string payload)
    {
        foreach (var device in devices)
        {
            downlinks.Send(new Downlinks.DeviceCommand { DeviceId = device, Payload = payload });
        }
    }

    /// <summary>After a failed write this activation is going: calls still queued on it must be sent again.</summary>
    private void EnsureCurrent()
    {
        if (_broken)
        {
            throw new Orleans.Storage.InconsistentStateException($"request '{Id}' is being read again after a failed write; send again");
        }
    }

    private DispatchTask SiteTask() => new()
    {
        RequestId = Id,
        Lat = store.State.Report!.Lat,
        Lon = store.State.Report.Lon,
        OnSiteRadiusM = _rules.OnSiteRadiusM,
    };

    /// <summary>The EOD-capable teams' live status, ranked for the site; empty (and logged) when they cannot be read now.</summary>
    /// <summary>The teams ranked for the site, and why there are none when there are none.</summary>
    private async Task<(IReadOnlyList<Recommendation> Teams, string? WhyNone)> RankAsync(DispatchReport report, string? unit)
    {
        try
        {
            var teams = await GrainFactory.GetGrain<ICapabilityRosterGrain>(DispatchRules.EodCapability).List();
            var statuses = (await Task.WhenAll(teams.Select(t => AssetGrains.Get(GrainFactory, t).GetStatus()))).OfType<AssetStatus>().ToList();
            var ranked = TeamRanking.Rank(report.Lat, report.Lon, unit, statuses, _rules);
            return (ranked, ranked.Count == 0 ? TeamRanking.WhyNone(statuses) : null);
        }
        catch (Exception ex)
        {
            LogRankingFailed(ex, Id);
            return ([], $"the teams could not be ranked just now; ask again with GET /api/dispatch/requests/{Id}/recommendations");
        }
    }

    [LoggerMessage(LogLevel.Information, "Request {RequestId} filed: {Found} at {Lat},{Lon}, priority {Priority}, {Count} teams recommended")]
    private partial void LogFiled(string requestId, FoundItem found, double lat, double lon, DispatchPriority priority, int count);

    [LoggerMessage(LogLevel.Information, "Request {RequestId} assigned to team {TeamId} by {By}")]
    private partial void LogAssigned(string requestId, string teamId, string by);

    [LoggerMessage(LogLevel.Information, "Request {RequestId} acknowledged by {By}")]
    private partial void LogAcknowledged(string requestId, string by);

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: team {TeamId} is {Status}")]
    private partial void LogTeamStatus(string requestId, string teamId, DispatchStatus status);

    [LoggerMessage(LogLevel.Information, "Request {RequestId} resolved by {By}: {Result}, {Items} items")]
    private partial void LogResolved(string requestId, string by, DispatchResult result, int items);

    [LoggerMessage(LogLevel.Information, "Request {RequestId} cancelled by {By}: {Reason}")]
    private partial void LogCancelled(string requestId, string by, string? reason);

    [LoggerMessage(LogLevel.Warning, "Request {RequestId} escalated: {Alerts}")]
    private partial void LogEscalated(string requestId, string alerts);

    [LoggerMessage(LogLevel.Error, "Request {RequestId}: list {Index} could not be updated; retrying")]
    private partial void LogIndexFailed(Exception ex, string requestId, string index);

    [LoggerMessage(LogLevel.Error, "Request {RequestId}: team {TeamId} could not be freed; retrying")]
    private partial void LogReleaseFailed(Exception ex, string requestId, string teamId);

    [LoggerMessage(LogLevel.Error, "Request {RequestId}: escalations could not reach the alert ledger; retrying")]
    private partial void LogAlertsUndelivered(Exception ex, string requestId);

    [LoggerMessage(LogLevel.Error, "Request {RequestId}: its reminder {Reminder} could not be kept; retrying in {Retry}")]
    private partial void LogReminderFailed(Exception ex, string requestId, string reminder, TimeSpan retry);

    [LoggerMessage(LogLevel.Error, "Request {RequestId}: the reporter's erasure could not be stored; erasing again on its next activation")]
    private partial void LogErasureFailed(Exception ex, string requestId);

    [LoggerMessage(LogLevel.Information, "Request {RequestId}: the reporter's name and phone were erased, {Retention} after it closed")]
    private partial void LogErased(string requestId, TimeSpan retention);

    [LoggerMessage(LogLevel.Warning, "Request {RequestId}: the assignment could not be sent again to team {TeamId}")]
    private partial void LogResendFailed(Exception ex, string requestId, string? teamId);

    [LoggerMessage(LogLevel.Warning, "Request {RequestId}: team {TeamId} has no device that reported; the assignment goes by radio")]
    private partial void LogNoDevice(string requestId, string? teamId);

    [LoggerMessage(LogLevel.Error, "Request {RequestId}: teams could not be ranked; recommendations left empty")]
    private partial void LogRankingFailed(Exception ex, string requestId);
}
