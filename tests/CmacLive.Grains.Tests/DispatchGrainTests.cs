using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Dispatch;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace CmacLive.Grains.Tests;

/// <summary>Requests on the fake clock: ranking, every step of the lifecycle, concurrent dispatchers, reminders.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DispatchGrainTests(ClusterFixture fixture)
{
    private readonly FieldScene _scene = new(fixture);

    private DateTimeOffset Now => fixture.Time.GetUtcNow();

    private IDispatchRequestGrain Request(string id) => fixture.Grains.GetGrain<IDispatchRequestGrain>(id);

    private static string NewId() => $"REQ-T-{Guid.NewGuid():N}"[..24];

    private DispatchReport ReportAt(double x, double y, FoundItem found = FoundItem.Uxo, bool nearPeople = false, bool nearSchool = false, string? unit = "DU5")
    {
        var (lat, lon) = _scene.At(x, y);
        return new DispatchReport { Lat = lat, Lon = lon, Found = found, NearPeople = nearPeople, NearSchool = nearSchool, Unit = unit, Village = "Ou Chamlong" };
    }

    [Fact]
    public async Task Teams_are_recommended_nearest_first_with_the_home_unit_on_a_tie_and_only_when_available()
    {
        var t = Now.AddMinutes(-1);
        var near = await _scene.EodTeamAsync("DU3");
        var second = await _scene.EodTeamAsync("DU5");
        var sameSpotOtherUnit = await _scene.EodTeamAsync("DU3");
        var far = await _scene.EodTeamAsync("DU5");
        var sos = await _scene.EodTeamAsync("DU5");
        var notEod = await _scene.AssetAsync(AssetKind.Team, "DU5");
        var silent = await _scene.EodTeamAsync("DU5");
        await near.FixAsync(1_000, 0, t);
        await second.FixAsync(0, 2_000, t);
        await sameSpotOtherUnit.FixAsync(0, 2_000, t);
        await far.FixAsync(-3_000, 0, t);
        await sos.FixAsync(100, 0, t);
        await sos.StateAsync(AssetState.Sos, t.AddSeconds(1));
        await notEod.FixAsync(50, 0, t);
        _ = silent; // never reported: no position, not online

        var filing = await Request(NewId()).File(ReportAt(0, 0), "dispatcher");
        Assert.True(filing.Created);
        var view = filing.Request;

        Assert.Equal(DispatchStatus.Triaged, view.Status);
        Assert.Equal([near.Id, second.Id, sameSpotOtherUnit.Id], view.Recommendations.Select(r => r.TeamId));

        // Distances laid out in UTM metres: the mean-sphere great-circle distance agrees within 0.7 % (projection scale, and the sphere against the ellipsoid at 13° N).
        double[] expected = [1_000, 2_000, 2_000];
        for (var i = 0; i < 3; i++)
        {
            var r = view.Recommendations[i];
            Assert.InRange(r.DistanceM, expected[i] * 0.993, expected[i] * 1.007);
            Assert.Equal(Math.Round(r.DistanceM * 1.4 / (40_000.0 / 60), 1), r.EtaMinutes, 1);
        }

        Assert.Equal(2.1, view.Recommendations[0].EtaMinutes, 1);
    }

    [Fact]
    public async Task The_whole_lifecycle_follows_the_team_acknowledgement_and_fixes_with_an_audit_trail_and_downlinks()
    {
        var team = await _scene.EodTeamAsync();
        var t = Now.AddMinutes(-1);
        await team.FixAsync(2_000, 0, t);
        var id = NewId();
        var filed = (await Request(id).File(ReportAt(0, 0, FoundItem.ClusterMunition, nearPeople: true), "dispatcher")).Request;
        Assert.Equal(DispatchPriority.Emergency, filed.Priority);
        Assert.Equal(Now + TimeSpan.FromHours(2), filed.OnSiteDue);

        var assigned = (await Request(id).Assign(new AssetRef { Id = team.Id, Kind = AssetKind.Team }, "dispatcher", false))!;
        Assert.Equal(DispatchStatus.Assigned, assigned.Status);
        Assert.Equal(id, (await team.StatusAsync()).Dispatch);
        var sent = await fixture.SentCommandsAsync(l => l.Any(c => c.DeviceId == team.DeviceId && c.Payload.Contains(id, StringComparison.Ordinal)));
        var command = sent.First(c => c.DeviceId == team.DeviceId);
        Assert.Contains("\"type\":\"assignment\"", command.Payload, StringComparison.Ordinal);
        Assert.Contains("\"priority\":\"emergency\"", command.Payload, StringComparison.Ordinal);

        // Fixes before the acknowledgement move nothing on.
        await team.FixAsync(1_500, 0, t.AddSeconds(10));
        Assert.Equal(DispatchStatus.Assigned, (await Request(id).Get())!.Status);

        Assert.Equal(ReportOutcome.Applied, await team.AckAsync(id, t.AddSeconds(20)));
        Assert.Equal(ReportOutcome.Applied, await team.AckAsync(id, t.AddSeconds(21)));
        Assert.Equal(DispatchStatus.Acknowledged, (await Request(id).Get())!.Status);

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(6));
        await team.FixAsync(1_450, 0, t.AddSeconds(30)); // 50 m closer: not yet en route
        await Task.Delay(100);
        Assert.Equal(DispatchStatus.Acknowledged, (await Request(id).Get())!.Status);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(6));
        await team.FixAsync(1_300, 0, t.AddSeconds(40));
        await fixture.EventuallyAsync(() => Request(id).Get(), v => v!.Status == DispatchStatus.EnRoute, "en route");
        await team.FixAsync(150, 0, t.AddSeconds(50)); // inside 200 m: passed on at once
        var onSite = await fixture.EventuallyAsync(() => Request(id).Get(), v => v!.Status == DispatchStatus.OnSite, "on site");
        Assert.InRange(onSite!.TeamDistanceM!.Value, 140, 160);

        var resolved = (await Request(id).Resolve(new DispatchOutcome { Result = DispatchResult.Destroyed, Items = 3, Note = "3 × BLU-24" }, "dispatcher"))!;
        Assert.Equal(DispatchStatus.Resolved, resolved.Status);
        Assert.Null((await team.StatusAsync()).Dispatch);
        Assert.Equal(
            [DispatchStatus.Received, DispatchStatus.Triaged, DispatchStatus.Assigned, DispatchStatus.Acknowledged, DispatchStatus.EnRoute, DispatchStatus.OnSite, DispatchStatus.Resolved],
            resolved.Trail.Select(s => s.To));
        Assert.All(resolved.Trail.Skip(1), s => Assert.NotNull(s.From));
        Assert.Equal($"{team.Id} (device {team.DeviceId})", resolved.Trail[3].By);
        Assert.Equal("dispatcher", resolved.Trail[^1].By);
        await fixture.PushedRequestsAsync(l => l.Any(r => r.Id == id && r.Status == DispatchStatus.Resolved));

        var summary = (await fixture.Grains.GetGrain<IDispatchIndexGrain>(IDispatchIndexGrain.MonthOf(resolved.ReceivedAt)).List()).Single(r => r.Id == id);
        Assert.Equal(DispatchStatus.Resolved, summary.Status);
        Assert.DoesNotContain(await fixture.Grains.GetGrain<IDispatchIndexGrain>(IDispatchIndexGrain.Open).List(), r => r.Id == id);
    }

    [Fact]
    public async Task A_team_already_at_the_site_when_it_acknowledges_is_on_site_at_once()
    {
        var team = await _scene.EodTeamAsync();
        await team.FixAsync(80, 0, Now.AddSeconds(-30));
        var id = NewId();
        await Request(id).File(ReportAt(0, 0), "dispatcher");
        await Request(id).Assign(new AssetRef { Id = team.Id, Kind = AssetKind.Team }, "dispatcher", false);

        Assert.Equal(ReportOutcome.Applied, await team.AckAsync(id, Now));

        var view = (await Request(id).Get())!;
        Assert.Equal(DispatchStatus.OnSite, view.Status);
        Assert.Equal([DispatchStatus.Acknowledged, DispatchStatus.EnRoute, DispatchStatus.OnSite], view.Trail.TakeLast(3).Select(s => s.To));
    }

    public enum Step
    {
        AssignOther,
        ReassignOther,
        Acknowledge,
        Resolve,
        Cancel,
    }

    /// <summary>
    /// Through the grain, a step allowed moves the request on and one refused answers a conflict and changes nothing; every
    /// step from every status is the lifecycle's own table, in <c>DispatchFlowTests</c>.
    /// </summary>
    [Theory]
    [InlineData(DispatchStatus.Triaged, Step.AssignOther, DispatchStatus.Assigned)]
    [InlineData(DispatchStatus.Assigned, Step.Acknowledge, DispatchStatus.Acknowledged)]
    [InlineData(DispatchStatus.EnRoute, Step.ReassignOther, DispatchStatus.Assigned)]
    [InlineData(DispatchStatus.Assigned, Step.Resolve, null)]
    [InlineData(DispatchStatus.OnSite, Step.ReassignOther, null)]
    [InlineData(DispatchStatus.Resolved, Step.Cancel, null)]
    public async Task A_step_is_allowed_or_refused_through_the_grain_as_the_lifecycle_says(DispatchStatus from, Step step, DispatchStatus? to)
    {
        var (id, team) = await DriveToAsync(from);
        var other = await _scene.EodTeamAsync();
        await other.FixAsync(3_000, 0, Now.AddSeconds(-30));
        var request = Request(id);
        var before = (await request.Get())!;
        var otherRef = new AssetRef { Id = other.Id, Kind = AssetKind.Team };

        Func<Task<DispatchRequestView?>> act = step switch
        {
            Step.AssignOther => () => request.Assign(otherRef, "dispatcher 2", false),
            Step.ReassignOther => () => request.Assign(otherRef, "dispatcher 2", true),
            Step.Acknowledge => () => request.Acknowledge(before.TeamId ?? team.Id, null, Now, "dispatcher 2"),
            Step.Resolve => () => request.Resolve(new DispatchOutcome { Result = DispatchResult.NothingFound, Items = 0 }, "dispatcher 2"),
            _ => () => request.Cancel("duplicate report", "dispatcher 2"),
        };

        if (to is { } expected)
        {
            var after = (await act())!;
            Assert.Equal(expected, after.Status);
            if (expected != from)
            {
                Assert.Equal(from, after.Trail[^1].From);
                Assert.Equal("dispatcher 2", after.Trail[^1].By);
            }

            if (step == Step.ReassignOther)
            {
                Assert.Equal(other.Id, after.TeamId);
                Assert.Null((await team.StatusAsync()).Dispatch);
                Assert.Equal(id, (await other.StatusAsync()).Dispatch);
            }

            if (expected is DispatchStatus.Resolved or DispatchStatus.Cancelled)
            {
                Assert.Null((await team.StatusAsync()).Dispatch);
            }
        }
        else
        {
            await Assert.ThrowsAsync<DispatchConflictException>(act);
            var unchanged = (await request.Get())!;
            Assert.Equal(before.Status, unchanged.Status);
            Assert.Equal(before.Trail.Count, unchanged.Trail.Count);
            Assert.Equal(before.TeamId, unchanged.TeamId);
            Assert.Null((await other.StatusAsync()).Dispatch);
        }
    }

    [Fact]
    public async Task Two_dispatchers_assigning_one_team_at_once_exactly_one_wins()
    {
        var team = await _scene.EodTeamAsync();
        await team.FixAsync(500, 0, Now.AddSeconds(-10));
        var a = NewId();
        var b = NewId();
        await Request(a).File(ReportAt(0, 0), "dispatcher 1");
        await Request(b).File(ReportAt(100, 100), "dispatcher 2");
        var teamRef = new AssetRef { Id = team.Id, Kind = AssetKind.Team };

        var attempts = await Task.WhenAll(
            Outcome(Request(a).Assign(teamRef, "dispatcher 1", false)),
            Outcome(Request(b).Assign(teamRef, "dispatcher 2", false)));

        Assert.Single(attempts, ok => ok);
        var winner = attempts[0] ? a : b;
        Assert.Equal(winner, (await team.StatusAsync()).Dispatch);
        Assert.Equal(DispatchStatus.Triaged, (await Request(attempts[0] ? b : a).Get())!.Status);

        // Two dispatchers giving one request to two teams at once: one wins, the other is told it is taken.
        var one = await _scene.EodTeamAsync();
        var two = await _scene.EodTeamAsync();
        var c = NewId();
        await Request(c).File(ReportAt(50, 50), "dispatcher 1");
        var both = await Task.WhenAll(
            Outcome(Request(c).Assign(new AssetRef { Id = one.Id, Kind = AssetKind.Team }, "dispatcher 1", false)),
            Outcome(Request(c).Assign(new AssetRef { Id = two.Id, Kind = AssetKind.Team }, "dispatcher 2", false)));
        Assert.Single(both, ok => ok);
        var view = (await Request(c).Get())!;
        Assert.Single(view.Trail, s => s.To == DispatchStatus.Assigned);
        Assert.Equal(c, (await (both[0] ? one : two).StatusAsync()).Dispatch);
        Assert.Null((await (both[0] ? two : one).StatusAsync()).Dispatch);

        static async Task<bool> Outcome(Task<DispatchRequestView?> assign)
        {
            try
            {
                await assign;
                return true;
            }
            catch (DispatchConflictException)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task A_team_in_sos_or_without_eod_or_an_asset_of_another_kind_cannot_be_assigned_and_an_ack_from_another_team_is_refused()
    {
        var plain = await _scene.AssetAsync(AssetKind.Team);
        var dog = await _scene.AssetAsync(AssetKind.Dog, capabilities: ["eod"]);
        var sos = await _scene.EodTeamAsync();
        await sos.FixAsync(10, 10, Now.AddSeconds(-5));
        await sos.StateAsync(AssetState.Sos, Now.AddSeconds(-4));
        var id = NewId();
        await Request(id).File(ReportAt(0, 0), "dispatcher");

        await Assert.ThrowsAsync<DispatchConflictException>(() => Request(id).Assign(new AssetRef { Id = plain.Id, Kind = AssetKind.Team }, "d", false));
        await Assert.ThrowsAsync<DispatchConflictException>(() => Request(id).Assign(new AssetRef { Id = sos.Id, Kind = AssetKind.Team }, "d", false));
        var notTeam = await Assert.ThrowsAsync<DispatchConflictException>(() => Request(id).Assign(new AssetRef { Id = dog.Id, Kind = AssetKind.Dog }, "d", false));
        Assert.Contains("not an EOD-capable team", notTeam.Message, StringComparison.Ordinal);

        var team = await _scene.EodTeamAsync();
        await Request(id).Assign(new AssetRef { Id = team.Id, Kind = AssetKind.Team }, "d", false);
        Assert.Equal(ReportOutcome.Refused, await sos.AckAsync(id, Now));
        Assert.Equal(ReportOutcome.Refused, await team.AckAsync("REQ-NO-SUCH", Now));
        Assert.Equal(DispatchStatus.Assigned, (await Request(id).Get())!.Status);
    }

    [Fact]
    public async Task Reminders_escalate_an_unacknowledged_assignment_and_a_request_not_on_site_by_its_target()
    {
        var team = await _scene.EodTeamAsync();
        await team.FixAsync(3_000, 0, Now.AddSeconds(-5));
        var id = NewId();
        await Request(id).File(ReportAt(0, 0, FoundItem.Mine, nearSchool: true), "dispatcher");
        await Request(id).Assign(new AssetRef { Id = team.Id, Kind = AssetKind.Team }, "dispatcher", false);
        await fixture.SentCommandsAsync(l => l.Count(c => c.DeviceId == team.DeviceId && c.Payload.Contains(id, StringComparison.Ordinal)) >= 1);

        await fixture.AdvanceAsync(TimeSpan.FromMinutes(9), TimeSpan.FromSeconds(30));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.DispatchUnacknowledged, id));

        // Reminders tick on the fake clock; it moves on in small steps so each tick has its turn.
        var late = await fixture.PushedAlertsAsync(l => l.Any(u => u.Alert.Kind == AlertKinds.DispatchUnacknowledged && u.Alert.RequestId == id), TimeSpan.FromSeconds(2));
        var alert = late.First(u => u.Alert.RequestId == id).Alert;
        Assert.Equal(team.Id, alert.AssetId);
        Assert.Equal(AlertSeverity.High, alert.Severity);

        // Not acknowledged: the assignment went out again on the checks.
        Assert.True(Now - alert.RaisedAt < TimeSpan.FromMinutes(2));
        await fixture.SentCommandsAsync(l => l.Count(c => c.DeviceId == team.DeviceId && c.Payload.Contains(id, StringComparison.Ordinal)) >= 2);

        await team.AckAsync(id, Now);
        await fixture.EventuallyAsync(() => fixture.Grains.GetGrain<IAlertLedgerGrain>(0).Get(alert.Id), a => a!.ClearedAt is not null, "cleared");

        // The emergency's two hours run out with the team still far away.
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.DispatchOverdue, id));
        await fixture.AdvanceAsync(TimeSpan.FromMinutes(100), TimeSpan.FromMinutes(1));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.DispatchOverdue, id));
        var overdue = await fixture.PushedAlertsAsync(l => l.Any(u => u.Alert.Kind == AlertKinds.DispatchOverdue && u.Alert.RequestId == id), TimeSpan.FromSeconds(10));
        Assert.Equal(AlertSeverity.Critical, overdue.First(u => u.Alert.Kind == AlertKinds.DispatchOverdue && u.Alert.RequestId == id).Alert.Severity);

        await Request(id).Cancel("handed to the police EOD", "dispatcher");
        await fixture.EventuallyAsync(() => fixture.Grains.GetGrain<IAlertLedgerGrain>(0).Get($"{id}/overdue"), a => a!.ClearedAt is not null, "cleared");
    }

    /// <summary>
    /// Personal data after closing: kept for <see cref="DispatchOptions.PersonalDataRetention"/> (180 days by default),
    /// then erased for good by the request's reminder; an open request keeps it; a request closed before the reminder
    /// existed (none in the table) is erased when it is next activated. One run of the clock for all four.
    /// </summary>
    [Fact]
    public async Task A_closed_request_keeps_its_reporter_for_180_days_then_loses_it_for_good_and_an_open_one_keeps_it()
    {
        var reporter = ReportAt(0, 0) with { ReporterName = "Sok Dara", ReporterPhone = "+855 12 345 678" };
        var team = await _scene.EodTeamAsync();
        await team.FixAsync(1_000, 0, Now.AddSeconds(-30));
        var (open, resolved, cancelled, legacy) = (NewId(), NewId(), NewId(), NewId());
        foreach (var id in new[] { open, resolved, cancelled, legacy })
        {
            await Request(id).File(reporter, "dispatcher");
        }

        await Request(resolved).Assign(new AssetRef { Id = team.Id, Kind = AssetKind.Team }, "dispatcher", false);
        await Request(resolved).Acknowledge(team.Id, null, Now, "dispatcher");
        await Request(resolved).Resolve(new DispatchOutcome { Result = DispatchResult.NothingFound, Items = 0 }, "dispatcher");
        await Request(cancelled).Cancel("a duplicate", "dispatcher");
        await Request(legacy).Cancel("a duplicate", "dispatcher");
        var closedAt = Now;
        Assert.Equal(closedAt, (await Request(resolved).Get())!.ClosedAt);

        // The closed requests keep a reminder for the erasure; the open one has none.
        var reminders = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var retention = "dispatch-personal-data";
        Assert.NotNull(await reminders.ReadRow(Request(resolved).GetGrainId(), retention));
        Assert.NotNull(await reminders.ReadRow(Request(cancelled).GetGrainId(), retention));
        Assert.Null(await reminders.ReadRow(Request(open).GetGrainId(), retention));

        // As if closed before the retention existed: no reminder at all (its deadline reminder goes at its next tick, the
        // step's work being done), and not active.
        await fixture.EventuallyAsync(async () => (await reminders.ReadRows(Request(legacy).GetGrainId())).Reminders.Count, n => n == 1, "deadline reminder gone", TimeSpan.FromSeconds(10));
        var row = (await reminders.ReadRow(Request(legacy).GetGrainId(), retention))!;
        Assert.True(await reminders.RemoveRow(row.GrainId, row.ReminderName, row.ETag!));
        await Request(legacy).Cast<IGrainManagementExtension>().DeactivateOnIdle();

        // 179 days and 23 hours after closing, nothing is erased.
        await fixture.AdvanceAsync(TimeSpan.FromDays(179), TimeSpan.FromHours(12));
        fixture.Time.Advance(closedAt.AddDays(180).AddHours(-1) - Now);
        foreach (var id in new[] { open, resolved, cancelled })
        {
            var kept = (await Request(id).Get())!;
            Assert.Equal("Sok Dara", kept.Report.ReporterName);
            Assert.Equal("+855 12 345 678", kept.Report.ReporterPhone);
            Assert.Null(kept.PersonalDataErasedAt);
        }

        // The last hour minute by minute, as a silo lives it: the reminder service loads a reminder minutes before it is due.
        while (Now < closedAt.AddDays(180))
        {
            await fixture.AdvanceAsync(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
            await Task.Delay(5);
        }

        foreach (var id in new[] { resolved, cancelled })
        {
            var erased = await fixture.EventuallyAsync(() => Request(id).Get(), v => v!.PersonalDataErasedAt is not null, "erased", TimeSpan.FromSeconds(10));
            Assert.Null(erased!.Report.ReporterName);
            Assert.Null(erased.Report.ReporterPhone);
            Assert.InRange(erased.PersonalDataErasedAt!.Value, closedAt.AddDays(180), closedAt.AddDays(180).AddHours(1));
            Assert.Equal(reporter with { ReporterName = null, ReporterPhone = null }, erased.Report);

            // For good: stored, so a new activation reads it erased; and the reminder is gone.
            await Request(id).Cast<IGrainManagementExtension>().DeactivateOnIdle();
            var again = (await Request(id).Get())!;
            Assert.Null(again.Report.ReporterName);
            Assert.Null(again.Report.ReporterPhone);
            Assert.Null(await reminders.ReadRow(Request(id).GetGrainId(), retention));

            // The same report filed again under its id is still the same request, not a conflict.
            var refiled = await Request(id).File(reporter, "dispatcher");
            Assert.Equal(id, refiled.Request.Id);
            Assert.False(refiled.Created);
        }

        var wasLegacy = (await Request(legacy).Get())!;
        Assert.Null(wasLegacy.Report.ReporterName);
        Assert.Null(wasLegacy.Report.ReporterPhone);
        Assert.NotNull(wasLegacy.PersonalDataErasedAt);
        Assert.Empty((await reminders.ReadRows(Request(legacy).GetGrainId())).Reminders);

        await fixture.AdvanceAsync(TimeSpan.FromDays(20), TimeSpan.FromDays(1));
        var stillOpen = (await Request(open).Get())!;
        Assert.Equal("Sok Dara", stillOpen.Report.ReporterName);
        Assert.Equal("+855 12 345 678", stillOpen.Report.ReporterPhone);
    }

    /// <summary>Drives a fresh request with a fresh team to <paramref name="status"/>.</summary>
    private async Task<(string Id, FieldScene.Tracked Team)> DriveToAsync(DispatchStatus status)
    {
        var team = await _scene.EodTeamAsync();
        var t = Now.AddMinutes(-5);
        await team.FixAsync(1_000, 0, t);
        var id = NewId();
        var request = Request(id);
        await request.File(ReportAt(0, 0), "dispatcher");
        var teamRef = new AssetRef { Id = team.Id, Kind = AssetKind.Team };
        if (status == DispatchStatus.Cancelled)
        {
            await request.Cancel(null, "dispatcher");
        }

        if (status is DispatchStatus.Triaged or DispatchStatus.Cancelled)
        {
            return (id, team);
        }

        await request.Assign(teamRef, "dispatcher", false);
        if (status != DispatchStatus.Assigned)
        {
            await request.Acknowledge(team.Id, null, Now, "dispatcher");
        }

        if (status >= DispatchStatus.EnRoute)
        {
            await request.TeamMoved(team.Id, new TeamFix { Ts = t.AddSeconds(10), Lat = _scene.At(500, 0).Lat, Lon = _scene.At(500, 0).Lon });
        }

        if (status >= DispatchStatus.OnSite)
        {
            await request.TeamMoved(team.Id, new TeamFix { Ts = t.AddSeconds(20), Lat = _scene.At(50, 0).Lat, Lon = _scene.At(50, 0).Lon });
        }

        if (status == DispatchStatus.Resolved)
        {
            await request.Resolve(new DispatchOutcome { Result = DispatchResult.NothingFound, Items = 0 }, "dispatcher");
        }

        var view = await fixture.EventuallyAsync(() => request.Get(), v => v!.Status == status, status.ToString());
        return (id, team);
    }
}
