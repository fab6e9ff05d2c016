using System.Text.Json;
using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.History;
using CmacLive.Live;
using CmacLive.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Dispatch;

/// <summary>
/// One community request. Each step runs in the grain's turn and is stored (ETag-checked) before anything
/// is sent: the indexes, the hub, the team's devices, the alert ledger. Deadlines are kept by an Orleans
/// reminder, so an escalation still fires after the silo that held the request is lost. Calls go from the
/// request to a team (claim, release) and from a team to the request only one-way, so they never wait on each other.
/// </summary>
public sealed class DispatchRequestGrain(
    [PersistentState("dispatch", StorageNames.Main)] IPersistentState<DispatchState> store,
    TimeProvider time,
    IOptions<DispatchOptions> options,
    IHistoryStore history,
    ILogger<DispatchRequestGrain> logger) : Grain, IDispatchRequestGrain, IRemindable
{
    private const string ReminderName = "dispatch-deadlines";

    private readonly DispatchRules _rules = options.Value.ToRules();
    private readonly TimeSpan _check = options.Value.EscalationCheck;
    private DispatchFlow _flow = null!;
    private bool? _reminderKnown;
    private bool _broken;
    private bool _dirty;

    private string Id => this.GetPrimaryKeyString();

    private DateTimeOffset Now => time.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _flow = new DispatchFlow(Id, store.State, _rules);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty && !_broken)
        {
            await store.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<DispatchRequestView> File(DispatchReport report, string by)
    {
        if (_flow.IsFiled)
        {
            return _flow.IsSameReport(report)
                ? _flow.ToView()
                : throw new DispatchConflictException($"request '{Id}' was filed already with another report");
        }

        _flow.File(report, by, Now);
        store.State.Recommendations = [.. await RankAsync()];
        logger.LogInformation("Request {RequestId} filed: {Found} at {Lat},{Lon}, priority {Priority}, {Count} teams recommended",
            Id, report.Found, report.Lat, report.Lon, store.State.Priority, store.State.Recommendations.Count);
        await CommitAsync();
        return _flow.ToView();
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
            store.State.Recommendations = [.. await RankAsync()];
            await CommitAsync();
        }

        return _flow.ToView();
    }

    public async Task<DispatchRequestView?> Assign(AssetRef team, string by, bool replace)
    {
        if (!_flow.IsFiled)
        {
            return null;
        }

        if (!_flow.CheckAssign(team.Id, replace))
        {
            return _flow.ToView();
        }

        var report = store.State.Report!;
        var teamGrain = AssetGrains.Get(GrainFactory, team);
        var claim = await teamGrain.ClaimDispatch(new DispatchTask { RequestId = Id, Lat = report.Lat, Lon = report.Lon, OnSiteRadiusM = _rules.OnSiteRadiusM })
            ?? throw new DispatchConflictException($"team '{team.Id}' is not configured");
        var previousDevices = store.State.Devices.ToList();
        string? previous;
        try
        {
            previous = _flow.Assign(claim, by, Now);
            await CommitAsync();
        }
        catch
        {
            // Not stored: the team must not stay taken by an assignment that does not exist.
            await teamGrain.ReleaseDispatch(Id);
            throw;
        }

        logger.LogInformation("Request {RequestId} assigned to team {TeamId} by {By}", Id, team.Id, by);
        if (previous is not null)
        {
            await ReleaseTeamAsync(previous, previousDevices, DispatchCommands.Cancelled(Id, $"given to team {team.Id}"));
        }

        await SendAssignmentAsync();
        return _flow.ToView();
    }

    public async Task<DispatchRequestView?> Acknowledge(string teamId, string? deviceId, DateTimeOffset at, string by)
    {
        if (!_flow.IsFiled)
        {
            return null;
        }

        if (deviceId is not null)
        {
            // The device's word is kept with its other reports before it changes anything.
            await history.AppendAsync(new EventRecord(teamId, deviceId, "ack", at,
                JsonSerializer.Serialize(new { requestId = Id }), Now));
        }

        if (_flow.Acknowledge(teamId, by, Now))
        {
            logger.LogInformation("Request {RequestId} acknowledged by {By}", Id, by);
            await CommitAsync();
        }

        return _flow.ToView();
    }

    public async Task TeamMoved(string teamId, TeamFix fix)
    {
        if (!_flow.IsFiled)
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
            logger.LogInformation("Request {RequestId}: team {TeamId} is {Status}", Id, teamId, store.State.Status);
            await CommitAsync();
        }
        else
        {
            // Only the distance changed: shown at once, stored with the next step or on deactivation.
            _dirty = true;
            await GrainFactory.GetGrain<IOpsFeedGrain>(0).Publish(_flow.ToView());
        }
    }

    public async Task<DispatchRequestView?> Resolve(DispatchOutcome outcome, string by)
    {
        if (!_flow.IsFiled)
        {
            return null;
        }

        _flow.Resolve(outcome, by, Now);
        await CommitAsync();
        logger.LogInformation("Request {RequestId} resolved by {By}: {Result}, {Items} items", Id, by, outcome.Result, outcome.Items);
        await ReleaseTeamAsync(store.State.TeamId, store.State.Devices, null);
        return _flow.ToView();
    }

    public async Task<DispatchRequestView?> Cancel(string? reason, string by)
    {
        if (!_flow.IsFiled)
        {
            return null;
        }

        _flow.Cancel(reason, by, Now);
        await CommitAsync();
        logger.LogInformation("Request {RequestId} cancelled by {By}: {Reason}", Id, by, reason);
        await ReleaseTeamAsync(store.State.TeamId, store.State.Devices, DispatchCommands.Cancelled(Id, reason));
        return _flow.ToView();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!_flow.IsFiled)
        {
            await SyncReminderAsync();
            return;
        }

        var now = Now;
        var raised = store.State.OpenAlerts.Count;
        _flow.Escalate(now);
        var resend = store.State.Status == DispatchStatus.Assigned && now - (store.State.CommandSentAt ?? store.State.AssignedAt ?? now) >= _check * 0.9;
        if (store.State.OpenAlerts.Count != raised || store.State.Outbox.Count > 0 || _dirty)
        {
            if (store.State.OpenAlerts.Count != raised)
            {
                logger.LogWarning("Request {RequestId} escalated: {Alerts}", Id, string.Join(", ", store.State.OpenAlerts));
            }

            await CommitAsync();
        }
        else
        {
            await SyncReminderAsync();
        }

        if (resend)
        {
            await SendAssignmentAsync();
        }
    }

    /// <summary>Stores the request, then updates its indexes, the hub, the alert ledger and its reminder.</summary>
    private async Task CommitAsync()
    {
        try
        {
            await store.WriteStateAsync();
        }
        catch (Exception ex)
        {
            // The step is not stored: what this activation holds is no longer what storage holds. It goes,
            // and the next call reads the request afresh.
            _broken = true;
            _dirty = false;
            DeactivateOnIdle();
            if (ex is Orleans.Storage.InconsistentStateException)
            {
                throw new DispatchConflictException($"request '{Id}' was changed elsewhere at the same moment; read it again and retry", ex);
            }

            throw;
        }

        _dirty = false;
        try
        {
            var summary = _flow.ToSummary();
            await GrainFactory.GetGrain<IDispatchIndexGrain>(IDispatchIndexGrain.MonthOf(summary.ReceivedAt)).Put(summary);
            await GrainFactory.GetGrain<IDispatchIndexGrain>(IDispatchIndexGrain.Open).Put(summary);
            await GrainFactory.GetGrain<IOpsFeedGrain>(0).Publish(_flow.ToView());
        }
        catch (Exception ex)
        {
            // Stored already: the lists and the dashboards catch up with the next step of this request.
            logger.LogError(ex, "Request {RequestId}: its lists or the live feed could not be updated", Id);
        }

        await DeliverAlertsAsync();
        await SyncReminderAsync();
    }

    private async Task DeliverAlertsAsync()
    {
        try
        {
            if (await AlertOutbox.DeliverAsync(GrainFactory, store.State.Outbox))
            {
                await store.WriteStateAsync();
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Request {RequestId}: escalations could not reach the alert ledger; retrying at the next check", Id);
        }
    }

    /// <summary>
    /// Keeps the request's reminder while anything is still to come (a deadline, the assignment to send again,
    /// alerts to deliver): it ticks every <see cref="DispatchOptions.EscalationCheck"/>, stored, so the checks go on
    /// after a silo is lost. Once nothing is due it is removed.
    /// </summary>
    private async Task SyncReminderAsync()
    {
        var needed = _flow.IsFiled && (store.State.Outbox.Count > 0 || (!_flow.IsClosed && (_flow.NextDue(_check) is not null || _dirty)));
        _reminderKnown ??= await this.GetReminder(ReminderName) is not null;
        if (needed && _reminderKnown != true)
        {
            await this.RegisterOrUpdateReminder(ReminderName, _check, _check);
            _reminderKnown = true;
        }
        else if (!needed && _reminderKnown == true)
        {
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _reminderKnown = false;
        }
    }

    private async Task SendAssignmentAsync()
    {
        if (store.State.Status != DispatchStatus.Assigned)
        {
            return;
        }

        if (store.State.Devices.Count == 0)
        {
            logger.LogWarning("Request {RequestId}: team {TeamId} has no device that reported; the assignment goes by radio", Id, store.State.TeamId);
        }

        await SendAsync(store.State.Devices, DispatchCommands.Assignment(_flow.ToView()));
        store.State.CommandSentAt = Now;
        _dirty = true;
    }

    private async Task SendAsync(IEnumerable<string> devices, string payload)
    {
        var feed = GrainFactory.GetGrain<IOpsFeedGrain>(0);
        foreach (var device in devices)
        {
            await feed.Send(new DeviceCommand { DeviceId = device, Payload = payload });
        }
    }

    /// <summary>
    /// Frees a team from this request (closed, or given to another team) and tells its devices. A team that
    /// cannot be reached is logged: it still lists the request, and a dispatcher can take it off by cancelling.
    /// </summary>
    private async Task ReleaseTeamAsync(string? teamId, IReadOnlyList<string> devices, string? command)
    {
        if (teamId is null)
        {
            return;
        }

        try
        {
            await AssetGrains.Get(GrainFactory, AssetKind.Team, teamId).ReleaseDispatch(Id);
            if (command is not null)
            {
                await SendAsync(devices, command);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Request {RequestId}: team {TeamId} could not be released", Id, teamId);
        }
    }

    /// <summary>The EOD-capable teams' live status, ranked for this site.</summary>
    private async Task<IReadOnlyList<Recommendation>> RankAsync()
    {
        var report = store.State.Report!;
        var teams = await GrainFactory.GetGrain<ICapabilityRosterGrain>(DispatchRules.EodCapability).List();
        var statuses = await Task.WhenAll(teams.Select(t => AssetGrains.Get(GrainFactory, t).GetStatus()));
        return TeamRanking.Rank(report.Lat, report.Lon, store.State.Unit, statuses.OfType<AssetStatus>(), _rules);
    }
}
