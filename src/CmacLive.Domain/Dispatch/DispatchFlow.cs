using CmacLive.Alerts;
using CmacLive.Assets;

namespace CmacLive.Dispatch;

/// <summary>
/// The lifecycle of a request: received → triaged → assigned → acknowledged → en-route → on-site → resolved,
/// or cancelled from any open step. It moves forward only, except that a dispatcher may give it to another
/// team before it is on site (<c>replace</c>), which starts it again at assigned. Pure: the grain supplies the time and does the I/O. Every change is a
/// step in the trail with who, when and from what status; a step that is not allowed throws
/// <see cref="DispatchConflictException"/> and changes nothing.
/// </summary>
public sealed class DispatchFlow(string id, DispatchState state, DispatchRules rules)
{
    private const int MaxTrail = 200;

    public DispatchState State => state;

    public bool IsFiled => state.Report is not null;

    public bool IsClosed => state.Status is DispatchStatus.Resolved or DispatchStatus.Cancelled;

    /// <summary>Files and triages the report; the recommendations are ranked by the caller.</summary>
    public void File(DispatchReport report, string by, DateTimeOffset now, string? onBehalfOf = null)
    {
        state.Report = report;
        state.ReceivedAt = now;
        state.Unit = UnitOf(report);
        Step(null, DispatchStatus.Received, now, by, null, onBehalfOf: onBehalfOf);
        var triaged = Triage.PriorityOf(report);
        state.Priority = report.Priority ?? triaged;
        state.OnSiteDue = now + rules.OnSiteTarget(state.Priority);
        var note = report.Priority is { } set && set != triaged
            ? $"priority {WireNames.Of(set)} set by the dispatcher (triage: {WireNames.Of(triaged)})"
            : $"priority {WireNames.Of(state.Priority)}";
        Step(DispatchStatus.Received, DispatchStatus.Triaged, now, "triage", note);
    }

    /// <summary>The unit a report belongs to: the one it names, else the one answering for its province, else none yet.</summary>
    public string? UnitOf(DispatchReport report) =>
        report.Unit ?? (report.Province is { } province ? rules.UnitOfProvince(province) : null);

    /// <summary>
    /// Whether <paramref name="report"/> is the one filed (a repeated POST of an integration); once the reporter
    /// was erased, whether it is the one filed but for its reporter.
    /// </summary>
    public bool IsSameReport(DispatchReport report) =>
        state.Report == report || (state.PersonalDataErasedAt is not null && state.Report == PersonalData.Erased(report));

    /// <summary>
    /// When the reporter's name and phone are to be erased: <see cref="DispatchRules.PersonalDataRetention"/> after the
    /// request closed. Null while it is open, once erased, or when the report names no reporter.
    /// </summary>
    public DateTimeOffset? PersonalDataDue =>
        IsClosed && state.PersonalDataErasedAt is null && state.Report is { } report && PersonalData.HasPersonalData(report)
            ? state.ClosedAt + rules.PersonalDataRetention
            : null;

    /// <summary>Erases the reporter's name and phone for good when their retention has run. True when it did (the state must be stored).</summary>
    public bool ErasePersonalData(DateTimeOffset now)
    {
        if (PersonalDataDue is not { } due || now < due)
        {
            return false;
        }

        state.Report = PersonalData.Erased(state.Report!);
        state.PersonalDataErasedAt = now;
        return true;
    }

    /// <summary>Throws unless the request may be given to <paramref name="teamId"/> now. False when it already is (nothing to do).</summary>
    public bool CheckAssign(string teamId, bool replace)
    {
        if (IsClosed || state.Status >= DispatchStatus.OnSite)
        {
            throw new DispatchConflictException($"request '{id}' is {WireNames.Of(state.Status)}: it can no longer be assigned");
        }

        if (state.TeamId is { } current)
        {
            if (current == teamId)
            {
                return false;
            }

            if (!replace)
            {
                throw new DispatchConflictException(
                    $"request '{id}' is already assigned to '{current}'; send replace: true to give it to another team");
            }
        }

        return true;
    }

    /// <summary>Records the assignment (the team has already accepted the claim). Answers the team replaced, if any.</summary>
    public string? Assign(DispatchClaim claim, string by, DateTimeOffset now, string? onBehalfOf = null)
    {
        var previous = state.TeamId;
        var from = state.Status;
        state.TeamId = claim.Status.Id;
        state.Devices = [.. claim.Devices];
        state.Unit ??= claim.Status.Unit;
        state.AssignedAt = now;
        state.AcknowledgedAt = null;
        state.EnRouteAt = null;
        state.Assignment++;
        state.CommandSentAt = null;
        state.TeamFixTs = null;
        state.TeamDistanceM = claim.Status.Position is { } p ? TeamRanking.DistanceM(p.Lat, p.Lon, state.Report!.Lat, state.Report.Lon) : null;
        state.StartDistanceM = state.TeamDistanceM;
        ClearAlerts(AlertKinds.DispatchUnacknowledged, now);
        Step(from, DispatchStatus.Assigned, now, by, previous is null ? null : $"replaces '{previous}'", claim.Status.Id, onBehalfOf);
        return previous;
    }

    /// <summary>The assigned team accepts (<paramref name="teamId"/>, or null: whichever is assigned). False when it had already (nothing changes).</summary>
    public bool Acknowledge(string? teamId, string by, DateTimeOffset now, string? onBehalfOf = null)
    {
        if (IsClosed)
        {
            throw new DispatchConflictException($"request '{id}' is {WireNames.Of(state.Status)}");
        }

        if (state.TeamId is null)
        {
            throw new DispatchConflictException($"request '{id}' is not assigned to a team");
        }

        if (teamId is not null && state.TeamId != teamId)
        {
            throw new DispatchConflictException($"request '{id}' is assigned to '{state.TeamId}', not to '{teamId}'");
        }

        if (state.Status != DispatchStatus.Assigned)
        {
            return false;
        }

        teamId = state.TeamId; // the team assigned, named or not
        state.AcknowledgedAt = now;
        state.StartDistanceM = state.TeamDistanceM;
        ClearAlerts(AlertKinds.DispatchUnacknowledged, now);
        Step(DispatchStatus.Assigned, DispatchStatus.Acknowledged, now, by, null, teamId, onBehalfOf);
        if (state.TeamDistanceM is { } distance && distance <= rules.OnSiteRadiusM)
        {
            // Already there (a tracker that reports only when it moves would never say so again).
            var at = $"{teamId} (last fix, {distance:0} m from the site)";
            state.EnRouteAt = now;
            Step(DispatchStatus.Acknowledged, DispatchStatus.EnRoute, now, at, null, teamId);
            state.OnSiteAt = now;
            ClearAlerts(AlertKinds.DispatchOverdue, now);
            Step(DispatchStatus.EnRoute, DispatchStatus.OnSite, now, at, null, teamId);
        }

        return true;
    }

    /// <summary>
    /// A fix of the assigned team, once it has acknowledged: on site within the radius; en route once it came
    /// <see cref="DispatchRules.EnRouteProgressM"/> closer or reports travelling. True when the request changed.
    /// </summary>
    public bool TeamMoved(string teamId, TeamFix fix, DateTimeOffset now)
    {
        if (IsClosed || state.TeamId != teamId || (state.TeamFixTs is { } last && fix.Ts <= last))
        {
            return false;
        }

        state.TeamFixTs = fix.Ts;
        var distance = TeamRanking.DistanceM(fix.Lat, fix.Lon, state.Report!.Lat, state.Report.Lon);
        var changed = state.TeamDistanceM is not { } before || Math.Abs(before - distance) >= 1;
        state.TeamDistanceM = distance;
        state.StartDistanceM ??= distance;
        if (state.Status is not (DispatchStatus.Acknowledged or DispatchStatus.EnRoute))
        {
            return changed;
        }

        var by = $"{teamId} (fix at {fix.Ts:HH:mm:ss}Z)";
        if (state.Status == DispatchStatus.Acknowledged
            && (distance <= rules.OnSiteRadiusM || fix.State == AssetState.Travelling || state.StartDistanceM - distance >= rules.EnRouteProgressM))
        {
            state.EnRouteAt = now;
            Step(DispatchStatus.Acknowledged, DispatchStatus.EnRoute, now, by, $"{distance:0} m from the site", teamId);
        }

        if (state.Status == DispatchStatus.EnRoute && distance <= rules.OnSiteRadiusM)
        {
            state.OnSiteAt = now;
            ClearAlerts(AlertKinds.DispatchOverdue, now);
            Step(DispatchStatus.EnRoute, DispatchStatus.OnSite, now, by, $"{distance:0} m from the site", teamId);
        }

        return true;
    }

    public void Resolve(DispatchOutcome outcome, string by, DateTimeOffset now, string? onBehalfOf = null)
    {
        if (IsClosed || state.Status < DispatchStatus.Acknowledged)
        {
            throw new DispatchConflictException(state.Status < DispatchStatus.Acknowledged
                ? $"request '{id}' is {WireNames.Of(state.Status)}: only a request a team has accepted can be resolved"
                : $"request '{id}' is {WireNames.Of(state.Status)}");
        }

        state.Outcome = outcome;
        Close(DispatchStatus.Resolved, by, now, outcome.Note, onBehalfOf);
    }

    public void Cancel(string? reason, string by, DateTimeOffset now, string? onBehalfOf = null)
    {
        if (IsClosed)
        {
            throw new DispatchConflictException($"request '{id}' is {WireNames.Of(state.Status)}");
        }

        Close(DispatchStatus.Cancelled, by, now, reason, onBehalfOf);
    }

    /// <summary>Raises the escalations that are due: an assignment not acknowledged, a request not on site by its target.</summary>
    public void Escalate(DateTimeOffset now)
    {
        if (IsClosed)
        {
            return;
        }

        if (state.Status == DispatchStatus.Assigned && state.AssignedAt is { } assigned && now - assigned >= rules.AckTimeout)
        {
            Raise(AlertKinds.DispatchUnacknowledged, $"{id}/unacknowledged/{state.Assignment}", AlertSeverity.High,
                $"Team {state.TeamId} has not acknowledged request {id} ({WireNames.Of(state.Priority)}) {(int)(now - assigned).TotalMinutes} min after assignment",
                assigned + rules.AckTimeout);
        }

        if (state.Status < DispatchStatus.OnSite && now >= state.OnSiteDue)
        {
            Raise(AlertKinds.DispatchOverdue, $"{id}/overdue", state.Priority == DispatchPriority.Emergency ? AlertSeverity.Critical : AlertSeverity.High,
                $"No team on site for request {id} ({WireNames.Of(state.Priority)}, {WireNames.Of(state.Report!.Found)}) by its target of {rules.OnSiteTarget(state.Priority).TotalHours:0.#} h",
                state.OnSiteDue);
        }
    }

    /// <summary>The next time something becomes due (an escalation, the downlink sent again), or null when nothing will.</summary>
    public DateTimeOffset? NextDue(TimeSpan resend)
    {
        if (IsClosed)
        {
            return null;
        }

        DateTimeOffset? next = null;
        if (state.Status == DispatchStatus.Assigned && state.AssignedAt is { } assigned)
        {
            next = Earliest(next, state.OpenAlerts.Contains($"{id}/unacknowledged/{state.Assignment}") ? null : assigned + rules.AckTimeout);
            next = Earliest(next, (state.CommandSentAt ?? assigned) + resend);
        }

        if (state.Status < DispatchStatus.OnSite && !state.OpenAlerts.Contains($"{id}/overdue"))
        {
            next = Earliest(next, state.OnSiteDue);
        }

        return next;
    }

    public DispatchRequestView ToView() => new()
    {
        Id = id,
        Status = state.Status,
        Priority = state.Priority,
        Report = state.Report!,
        Unit = state.Unit,
        ReceivedAt = state.ReceivedAt,
        Recommendations = [.. state.Recommendations],
        TeamId = state.TeamId,
        AssignedAt = state.AssignedAt,
        AcknowledgedAt = state.AcknowledgedAt,
        EnRouteAt = state.EnRouteAt,
        OnSiteAt = state.OnSiteAt,
        ClosedAt = state.ClosedAt,
        Outcome = state.Outcome,
        TeamDistanceM = state.TeamDistanceM is { } d ? Math.Round(d) : null,
        OnSiteDue = state.OnSiteDue,
        AcknowledgeDue = state.Status == DispatchStatus.Assigned ? state.AssignedAt + rules.AckTimeout : null,
        Trail = [.. state.Trail],
        PersonalDataErasedAt = state.PersonalDataErasedAt,
        NoRecommendationReason = state.Recommendations.Count == 0 ? state.NoRecommendationReason : null,
    };

    public DispatchSummary ToSummary() => new()
    {
        Id = id,
        Status = state.Status,
        Priority = state.Priority,
        Unit = state.Unit,
        Province = state.Report!.Province,
        ReceivedAt = state.ReceivedAt,
        AssignedAt = state.AssignedAt,
        AcknowledgedAt = state.AcknowledgedAt,
        OnSiteAt = state.OnSiteAt,
        ClosedAt = state.ClosedAt,
        TeamId = state.TeamId,
        Found = state.Report.Found,
        Lat = state.Report.Lat,
        Lon = state.Report.Lon,
        Village = state.Report.Village,
    };

    private void Close(DispatchStatus to, string by, DateTimeOffset now, string? note, string? onBehalfOf)
    {
        var from = state.Status;
        state.ClosedAt = now;
        ClearAlerts(null, now);
        Step(from, to, now, by, note, state.TeamId, onBehalfOf);
    }

    private void Raise(string kind, string alertId, AlertSeverity severity, string message, DateTimeOffset raisedAt)
    {
        if (state.OpenAlerts.Contains(alertId))
        {
            return;
        }

        state.OpenAlerts.Add(alertId);
        state.Outbox.Add(AlertSignal.Raise(new Alert
        {
            Id = alertId,
            Kind = kind,
            Severity = severity,
            AssetId = state.TeamId,
            Message = message,
            RaisedAt = raisedAt,
            Unit = state.Unit,
            RequestId = id,
        }));
    }

    /// <summary>Clears the open escalations of <paramref name="kind"/> (null: all of them).</summary>
    private void ClearAlerts(string? kind, DateTimeOffset now)
    {
        var segment = kind switch
        {
            AlertKinds.DispatchUnacknowledged => "/unacknowledged/",
            AlertKinds.DispatchOverdue => "/overdue",
            _ => "/",
        };
        foreach (var alertId in state.OpenAlerts.Where(a => a.Contains(segment, StringComparison.Ordinal)).ToList())
        {
            state.OpenAlerts.Remove(alertId);
            state.Outbox.Add(AlertSignal.Cleared(alertId, now));
        }
    }

    private void Step(DispatchStatus? from, DispatchStatus to, DateTimeOffset at, string by, string? note, string? teamId = null, string? onBehalfOf = null)
    {
        state.Status = to;
        state.Trail.Add(new DispatchStep { From = from, To = to, At = at, By = by, Note = note, TeamId = teamId, OnBehalfOf = onBehalfOf });
        if (state.Trail.Count > MaxTrail)
        {
            state.Trail.RemoveAt(2); // keep how it began; a request re-assigned hundreds of times loses its middle
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
