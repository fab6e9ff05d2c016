using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Dispatch;

namespace CmacLive.Domain.Tests;

public sealed class DispatchFlowTests
{
    private const string Id = "REQ-1";

    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Metres per degree of latitude on the ranking's sphere: a point this far north of the site is exactly that far.</summary>
    private static readonly double MetresPerDegree = TeamRanking.EarthRadiusM * Math.PI / 180;

    private static readonly DispatchOutcome Destroyed = new() { Result = DispatchResult.Destroyed, Items = 2, Note = "two mortar rounds" };

    private readonly DispatchState _state = new();

    private static double LatAt(double northM) => 13 + (northM / MetresPerDegree);

    private DispatchFlow NewFlow(DispatchRules? rules = null) => new(Id, _state, rules ?? new DispatchRules());

    private static DispatchReport Report(FoundItem found = FoundItem.Uxo, bool nearPeople = false, DispatchPriority? priority = null,
        string? unit = "DU5", string? province = null) =>
        new() { Lat = 13, Lon = 103, Found = found, NearPeople = nearPeople, Priority = priority, Unit = unit, Province = province };

    private static DispatchClaim Claim(string teamId, double? northM = 5_000, string unit = "DU5", params string[] devices) => new()
    {
        Status = new AssetStatus
        {
            Id = teamId,
            Kind = AssetKind.Team,
            Name = teamId,
            Unit = unit,
            Online = true,
            Position = northM is { } m ? new Position { Lat = LatAt(m), Lon = 103, Ts = T0 } : null,
        },
        Devices = devices,
    };

    private static TeamFix Fix(DateTimeOffset ts, double northM, AssetState state = AssetState.Working) =>
        new() { Ts = ts, Lat = LatAt(northM), Lon = 103, State = state };

    private static AssetStatus Team(string id, double? northM, string unit = "DU2", bool eod = true, bool online = true,
        AssetState state = AssetState.Standby, string? dispatch = null, AssetKind kind = AssetKind.Team) => new()
    {
        Id = id,
        Kind = kind,
        Name = "Team " + id,
        Unit = unit,
        Online = online,
        State = state,
        Dispatch = dispatch,
        Capabilities = eod ? [DispatchRules.EodCapability] : ["mdd"],
        Position = northM is { } m ? new Position { Lat = LatAt(m), Lon = 103, Ts = T0 } : null,
    };

    /// <summary>Files a routine report at T0 and takes it, with team T1 5 km away, to <paramref name="status"/> a minute a step.</summary>
    private DispatchFlow DriveTo(DispatchStatus status, DispatchRules? rules = null)
    {
        var flow = NewFlow(rules);
        flow.File(Report(), "dispatcher", T0);
        if (status == DispatchStatus.Cancelled)
        {
            flow.Cancel("duplicate report", "dispatcher", T0.AddMinutes(1));
            return flow;
        }

        if (status >= DispatchStatus.Assigned)
        {
            flow.Assign(Claim("T1"), "dispatcher", T0.AddMinutes(1));
        }

        if (status >= DispatchStatus.Acknowledged)
        {
            flow.Acknowledge("T1", "T1", T0.AddMinutes(2));
        }

        if (status >= DispatchStatus.EnRoute)
        {
            flow.TeamMoved("T1", Fix(T0.AddMinutes(3), 4_000, AssetState.Travelling), T0.AddMinutes(3));
        }

        if (status >= DispatchStatus.OnSite)
        {
            flow.TeamMoved("T1", Fix(T0.AddMinutes(4), 100), T0.AddMinutes(4));
        }

        if (status == DispatchStatus.Resolved)
        {
            flow.Resolve(Destroyed, "T1", T0.AddMinutes(5));
        }

        Assert.Equal(status, flow.State.Status);
        return flow;
    }

    // Filing and triage

    [Fact]
    public void Filing_records_reception_and_triage_as_two_steps_and_sets_the_on_site_target()
    {
        var flow = NewFlow();
        Assert.False(flow.IsFiled);

        flow.File(Report(FoundItem.ClusterMunition, nearPeople: true), "dispatcher", T0, onBehalfOf: "Sok");

        Assert.True(flow.IsFiled);
        Assert.False(flow.IsClosed);
        Assert.Equal(DispatchStatus.Triaged, _state.Status);
        Assert.Equal(DispatchPriority.Emergency, _state.Priority);
        Assert.Equal(T0, _state.ReceivedAt);
        Assert.Equal(T0.AddHours(2), _state.OnSiteDue);
        Assert.Equal("DU5", _state.Unit);
        Assert.Equal(
            [
                new DispatchStep { From = null, To = DispatchStatus.Received, At = T0, By = "dispatcher", OnBehalfOf = "Sok" },
                new DispatchStep { From = DispatchStatus.Received, To = DispatchStatus.Triaged, At = T0, By = "triage", Note = "priority emergency" },
            ],
            _state.Trail);
    }

    [Theory]
    [InlineData(FoundItem.ClusterMunition, true, DispatchPriority.Emergency, 2)]
    [InlineData(FoundItem.Mine, false, DispatchPriority.High, 12)]
    [InlineData(FoundItem.Uxo, false, DispatchPriority.Routine, 72)]
    public void The_on_site_target_follows_the_priority(FoundItem found, bool nearPeople, DispatchPriority priority, int hours)
    {
        var flow = NewFlow();
        flow.File(Report(found, nearPeople), "dispatcher", T0);

        Assert.Equal(priority, _state.Priority);
        Assert.Equal(T0.AddHours(hours), _state.OnSiteDue);
        Assert.Equal(T0.AddHours(hours), flow.ToView().OnSiteDue);
    }

    [Fact]
    public void A_priority_the_dispatcher_sets_wins_over_the_triage_and_the_trail_says_so()
    {
        var flow = NewFlow();
        flow.File(Report(FoundItem.Uxo, priority: DispatchPriority.Emergency), "dispatcher", T0);

        Assert.Equal(DispatchPriority.Emergency, _state.Priority);
        Assert.Equal(T0.AddHours(2), _state.OnSiteDue);
        Assert.Equal("priority emergency set by the dispatcher (triage: routine)", _state.Trail[^1].Note);
    }

    [Fact]
    public void A_priority_the_dispatcher_sets_equal_to_the_triage_is_noted_as_plain_priority()
    {
        NewFlow().File(Report(FoundItem.Mine, priority: DispatchPriority.High), "dispatcher", T0);

        Assert.Equal("priority high", _state.Trail[^1].Note);
    }

    [Fact]
    public void The_unit_is_the_one_named_else_the_one_of_the_province_else_none()
    {
        var flow = NewFlow(new DispatchRules { UnitOfProvince = p => p == "Battambang" ? "DU5" : null });

        Assert.Equal("DU2", flow.UnitOf(Report(unit: "DU2", province: "Battambang")));
        Assert.Equal("DU5", flow.UnitOf(Report(unit: null, province: "Battambang")));
        Assert.Null(flow.UnitOf(Report(unit: null, province: "Pailin")));
        Assert.Null(flow.UnitOf(Report(unit: null)));
    }

    [Fact]
    public void A_request_with_no_unit_takes_the_unit_of_its_first_team_and_keeps_it()
    {
        var flow = NewFlow();
        flow.File(Report(unit: null), "dispatcher", T0);
        Assert.Null(_state.Unit);

        flow.Assign(Claim("T1", unit: "DU3"), "dispatcher", T0.AddMinutes(1));
        Assert.Equal("DU3", _state.Unit);

        flow.Assign(Claim("T2", unit: "DU4"), "dispatcher", T0.AddMinutes(2));
        Assert.Equal("DU3", _state.Unit);
    }

    // Every step from every status

    public enum Step
    {
        AssignOther,
        ReassignOther,
        Acknowledge,
        Resolve,
        Cancel,
    }

    [Theory]
    [InlineData(DispatchStatus.Triaged, Step.AssignOther, DispatchStatus.Assigned)]
    [InlineData(DispatchStatus.Triaged, Step.ReassignOther, DispatchStatus.Assigned)]
    [InlineData(DispatchStatus.Triaged, Step.Acknowledge, null)]
    [InlineData(DispatchStatus.Triaged, Step.Resolve, null)]
    [InlineData(DispatchStatus.Triaged, Step.Cancel, DispatchStatus.Cancelled)]
    [InlineData(DispatchStatus.Assigned, Step.AssignOther, null)]
    [InlineData(DispatchStatus.Assigned, Step.ReassignOther, DispatchStatus.Assigned)]
    [InlineData(DispatchStatus.Assigned, Step.Acknowledge, DispatchStatus.Acknowledged)]
    [InlineData(DispatchStatus.Assigned, Step.Resolve, null)]
    [InlineData(DispatchStatus.Assigned, Step.Cancel, DispatchStatus.Cancelled)]
    [InlineData(DispatchStatus.Acknowledged, Step.AssignOther, null)]
    [InlineData(DispatchStatus.Acknowledged, Step.ReassignOther, DispatchStatus.Assigned)]
    [InlineData(DispatchStatus.Acknowledged, Step.Acknowledge, DispatchStatus.Acknowledged)]
    [InlineData(DispatchStatus.Acknowledged, Step.Resolve, DispatchStatus.Resolved)]
    [InlineData(DispatchStatus.Acknowledged, Step.Cancel, DispatchStatus.Cancelled)]
    [InlineData(DispatchStatus.EnRoute, Step.AssignOther, null)]
    [InlineData(DispatchStatus.EnRoute, Step.ReassignOther, DispatchStatus.Assigned)]
    [InlineData(DispatchStatus.EnRoute, Step.Acknowledge, DispatchStatus.EnRoute)]
    [InlineData(DispatchStatus.EnRoute, Step.Resolve, DispatchStatus.Resolved)]
    [InlineData(DispatchStatus.EnRoute, Step.Cancel, DispatchStatus.Cancelled)]
    [InlineData(DispatchStatus.OnSite, Step.AssignOther, null)]
    [InlineData(DispatchStatus.OnSite, Step.ReassignOther, null)]
    [InlineData(DispatchStatus.OnSite, Step.Acknowledge, DispatchStatus.OnSite)]
    [InlineData(DispatchStatus.OnSite, Step.Resolve, DispatchStatus.Resolved)]
    [InlineData(DispatchStatus.OnSite, Step.Cancel, DispatchStatus.Cancelled)]
    [InlineData(DispatchStatus.Resolved, Step.AssignOther, null)]
    [InlineData(DispatchStatus.Resolved, Step.ReassignOther, null)]
    [InlineData(DispatchStatus.Resolved, Step.Acknowledge, null)]
    [InlineData(DispatchStatus.Resolved, Step.Resolve, null)]
    [InlineData(DispatchStatus.Resolved, Step.Cancel, null)]
    [InlineData(DispatchStatus.Cancelled, Step.AssignOther, null)]
    [InlineData(DispatchStatus.Cancelled, Step.ReassignOther, null)]
    [InlineData(DispatchStatus.Cancelled, Step.Acknowledge, null)]
    [InlineData(DispatchStatus.Cancelled, Step.Resolve, null)]
    [InlineData(DispatchStatus.Cancelled, Step.Cancel, null)]
    public void Every_step_from_every_status_is_allowed_or_refused_as_the_lifecycle_says(DispatchStatus from, Step step, DispatchStatus? to)
    {
        var flow = DriveTo(from);
        var at = T0.AddHours(1);
        var trail = _state.Trail.Count;
        var team = _state.TeamId;
        var closedAt = _state.ClosedAt;
        Action act = step switch
        {
            Step.AssignOther => () =>
            {
                if (flow.CheckAssign("T2", replace: false))
                {
                    flow.Assign(Claim("T2", 3_000), "dispatcher 2", at);
                }
            },
            Step.ReassignOther => () =>
            {
                if (flow.CheckAssign("T2", replace: true))
                {
                    flow.Assign(Claim("T2", 3_000), "dispatcher 2", at);
                }
            },
            Step.Acknowledge => () => flow.Acknowledge(team ?? "T1", "dispatcher 2", at),
            Step.Resolve => () => flow.Resolve(Destroyed, "dispatcher 2", at),
            _ => () => flow.Cancel("duplicate report", "dispatcher 2", at),
        };

        if (to is not { } expected)
        {
            Assert.Throws<DispatchConflictException>(act);
            Assert.Equal(from, _state.Status);
            Assert.Equal(trail, _state.Trail.Count);
            Assert.Equal(team, _state.TeamId);
            Assert.Equal(closedAt, _state.ClosedAt);
            return;
        }

        act();
        Assert.Equal(expected, _state.Status);
        if (expected == from && step == Step.Acknowledge)
        {
            Assert.Equal(trail, _state.Trail.Count); // already accepted: nothing to record
            return;
        }

        var last = _state.Trail[^1];
        Assert.Equal(from, last.From);
        Assert.Equal(expected, last.To);
        Assert.Equal("dispatcher 2", last.By);
        Assert.Equal(at, last.At);
        Assert.Equal(step is Step.AssignOther or Step.ReassignOther ? "T2" : team, _state.TeamId);
        Assert.Equal(expected is DispatchStatus.Resolved or DispatchStatus.Cancelled, flow.IsClosed);
        Assert.Equal(flow.IsClosed ? at : null, _state.ClosedAt);
    }

    // Assignment

    [Fact]
    public void An_assignment_records_the_team_its_devices_and_its_distance()
    {
        var flow = NewFlow();
        flow.File(Report(), "dispatcher", T0);

        Assert.True(flow.CheckAssign("T1", replace: false));
        var previous = flow.Assign(Claim("T1", 5_000, "DU5", "dev-1", "dev-2"), "dispatcher", T0.AddMinutes(1), onBehalfOf: "Sok");

        Assert.Null(previous);
        Assert.Equal(DispatchStatus.Assigned, _state.Status);
        Assert.Equal("T1", _state.TeamId);
        Assert.Equal(["dev-1", "dev-2"], _state.Devices);
        Assert.Equal(T0.AddMinutes(1), _state.AssignedAt);
        Assert.Equal(1, _state.Assignment);
        Assert.Equal(5_000, _state.TeamDistanceM!.Value, 6);
        Assert.Equal(5_000, _state.StartDistanceM!.Value, 6);
        Assert.Equal(
            new DispatchStep { From = DispatchStatus.Triaged, To = DispatchStatus.Assigned, At = T0.AddMinutes(1), By = "dispatcher", TeamId = "T1", OnBehalfOf = "Sok" },
            _state.Trail[^1]);
        Assert.Equal(T0.AddMinutes(11), flow.ToView().AcknowledgeDue);
    }

    [Fact]
    public void Assigning_the_team_already_assigned_is_nothing_to_do_replace_or_not()
    {
        var flow = DriveTo(DispatchStatus.Acknowledged);

        Assert.False(flow.CheckAssign("T1", replace: false));
        Assert.False(flow.CheckAssign("T1", replace: true));
    }

    [Fact]
    public void Another_team_without_replace_is_refused_with_the_reason()
    {
        var flow = DriveTo(DispatchStatus.Assigned);

        var refused = Assert.Throws<DispatchConflictException>(() => flow.CheckAssign("T2", replace: false));
        Assert.Equal("request 'REQ-1' is already assigned to 'T1'; send replace: true to give it to another team", refused.Message);
    }

    [Fact]
    public void A_request_on_site_or_closed_can_no_longer_be_assigned_even_to_its_own_team()
    {
        var flow = DriveTo(DispatchStatus.OnSite);

        var refused = Assert.Throws<DispatchConflictException>(() => flow.CheckAssign("T1", replace: true));
        Assert.Equal("request 'REQ-1' is on-site: it can no longer be assigned", refused.Message);
    }

    [Fact]
    public void Replacing_the_team_starts_again_at_assigned_and_forgets_the_first_teams_progress()
    {
        var flow = DriveTo(DispatchStatus.EnRoute);

        Assert.True(flow.CheckAssign("T2", replace: true));
        var previous = flow.Assign(Claim("T2", 2_000), "dispatcher", T0.AddMinutes(10));

        Assert.Equal("T1", previous);
        Assert.Equal(DispatchStatus.Assigned, _state.Status);
        Assert.Equal("T2", _state.TeamId);
        Assert.Null(_state.AcknowledgedAt);
        Assert.Null(_state.EnRouteAt);
        Assert.Null(_state.TeamFixTs);
        Assert.Null(_state.CommandSentAt);
        Assert.Equal(2, _state.Assignment);
        Assert.Equal(2_000, _state.TeamDistanceM!.Value, 6);
        Assert.Equal("replaces 'T1'", _state.Trail[^1].Note);
        Assert.Equal(DispatchStatus.EnRoute, _state.Trail[^1].From);

        // The first team's fixes no longer count.
        Assert.False(flow.TeamMoved("T1", Fix(T0.AddMinutes(11), 50), T0.AddMinutes(11)));
        Assert.Equal(DispatchStatus.Assigned, _state.Status);
    }

    [Fact]
    public void A_team_claimed_without_a_position_has_no_distance_until_its_first_fix()
    {
        var flow = NewFlow();
        flow.File(Report(), "dispatcher", T0);
        flow.Assign(Claim("T1", northM: null), "dispatcher", T0);
        Assert.Null(_state.TeamDistanceM);
        Assert.Null(flow.ToView().TeamDistanceM);

        flow.Acknowledge("T1", "T1", T0.AddMinutes(1));
        Assert.True(flow.TeamMoved("T1", Fix(T0.AddMinutes(2), 5_000), T0.AddMinutes(2)));
        Assert.Equal(5_000, _state.StartDistanceM!.Value, 6);
        Assert.Equal(DispatchStatus.Acknowledged, _state.Status);

        flow.TeamMoved("T1", Fix(T0.AddMinutes(3), 4_899), T0.AddMinutes(3));
        Assert.Equal(DispatchStatus.EnRoute, _state.Status);
    }

    // Acknowledgement

    [Fact]
    public void The_assigned_team_acknowledges_once()
    {
        var flow = DriveTo(DispatchStatus.Assigned);

        Assert.True(flow.Acknowledge("T1", "T1 leader", T0.AddMinutes(3), onBehalfOf: "radio"));
        Assert.Equal(DispatchStatus.Acknowledged, _state.Status);
        Assert.Equal(T0.AddMinutes(3), _state.AcknowledgedAt);
        Assert.Equal(
            new DispatchStep { From = DispatchStatus.Assigned, To = DispatchStatus.Acknowledged, At = T0.AddMinutes(3), By = "T1 leader", TeamId = "T1", OnBehalfOf = "radio" },
            _state.Trail[^1]);
        Assert.Null(flow.ToView().AcknowledgeDue);

        var trail = _state.Trail.Count;
        Assert.False(flow.Acknowledge("T1", "T1 leader", T0.AddMinutes(4)));
        Assert.Equal(trail, _state.Trail.Count);
        Assert.Equal(T0.AddMinutes(3), _state.AcknowledgedAt);
    }

    [Fact]
    public void A_dispatcher_acknowledges_for_whichever_team_is_assigned()
    {
        var flow = DriveTo(DispatchStatus.Assigned);
        Assert.True(flow.Acknowledge(null, "dispatcher", T0.AddMinutes(3)));
        Assert.Equal("T1", _state.Trail[^1].TeamId);
    }

    [Fact]
    public void Acknowledging_for_the_assigned_team_when_none_is_is_refused()
    {
        var filed = DriveTo(DispatchStatus.Triaged);
        var refused = Assert.Throws<DispatchConflictException>(() => filed.Acknowledge(null, "dispatcher", T0.AddMinutes(3)));
        Assert.Equal("request 'REQ-1' is not assigned to a team", refused.Message);
    }

    [Fact]
    public void An_empty_ranking_says_why_no_team_can_go()
    {
        AssetStatus Eod(string id, bool online = true, bool positioned = true, AssetState state = AssetState.Unknown, string? dispatch = null) => new()
        {
            Id = id,
            Kind = AssetKind.Team,
            Name = id,
            Unit = "DU5",
            Online = online,
            State = state,
            Capabilities = [DispatchRules.EodCapability],
            Position = positioned ? new Position { Lat = 13, Lon = 103, Ts = T0 } : null,
            Dispatch = dispatch,
        };

        Assert.Equal("no team has the eod capability", TeamRanking.WhyNone([]));
        Assert.Equal(
            "no eod team is available: 2 offline (nothing heard within the offline timeout), 1 online with no position yet, 1 in SOS, 1 on another request",
            TeamRanking.WhyNone([Eod("A", online: false), Eod("B", online: false, positioned: false), Eod("C", positioned: false), Eod("D", state: AssetState.Sos), Eod("E", dispatch: "REQ-9")]));
        Assert.Null(TeamRanking.WhyNone([Eod("A", online: false), Eod("F")]));
    }

    [Fact]
    public void Another_teams_acknowledgement_is_refused()
    {
        var flow = DriveTo(DispatchStatus.Assigned);

        var refused = Assert.Throws<DispatchConflictException>(() => flow.Acknowledge("T2", "T2", T0.AddMinutes(3)));
        Assert.Equal("request 'REQ-1' is assigned to 'T1', not to 'T2'", refused.Message);
        Assert.Equal(DispatchStatus.Assigned, _state.Status);
    }

    [Fact]
    public void A_team_within_the_radius_when_it_acknowledges_is_en_route_and_on_site_at_once()
    {
        var flow = NewFlow();
        flow.File(Report(), "dispatcher", T0);
        flow.Assign(Claim("T1", 150), "dispatcher", T0.AddMinutes(1));

        Assert.True(flow.Acknowledge("T1", "T1", T0.AddMinutes(2)));

        Assert.Equal(DispatchStatus.OnSite, _state.Status);
        Assert.Equal(T0.AddMinutes(2), _state.EnRouteAt);
        Assert.Equal(T0.AddMinutes(2), _state.OnSiteAt);
        Assert.Equal(
            [DispatchStatus.Acknowledged, DispatchStatus.EnRoute, DispatchStatus.OnSite],
            _state.Trail.Skip(3).Select(s => s.To));
        Assert.Equal("T1 (last fix, 150 m from the site)", _state.Trail[^1].By);
    }

    [Theory]
    [InlineData(0, DispatchStatus.OnSite)]
    [InlineData(-0.01, DispatchStatus.Acknowledged)]
    public void The_on_site_radius_includes_its_edge_on_acknowledgement(double radiusOffset, DispatchStatus expected)
    {
        var edge = TeamRanking.DistanceM(LatAt(300), 103, 13, 103);
        var flow = NewFlow(new DispatchRules { OnSiteRadiusM = edge + radiusOffset });
        flow.File(Report(), "dispatcher", T0);
        flow.Assign(Claim("T1", 300), "dispatcher", T0);

        flow.Acknowledge("T1", "T1", T0.AddMinutes(1));

        Assert.Equal(expected, _state.Status);
    }

    // The team's fixes

    [Fact]
    public void Before_acknowledging_a_teams_fixes_only_update_its_distance()
    {
        var flow = DriveTo(DispatchStatus.Assigned);

        Assert.True(flow.TeamMoved("T1", Fix(T0.AddMinutes(2), 50), T0.AddMinutes(2)));

        Assert.Equal(DispatchStatus.Assigned, _state.Status);
        Assert.Equal(50, _state.TeamDistanceM!.Value, 6);
        Assert.Equal(T0.AddMinutes(2), _state.TeamFixTs);

        // Acknowledging from within the radius puts it on site at once.
        flow.Acknowledge("T1", "T1", T0.AddMinutes(3));
        Assert.Equal(DispatchStatus.OnSite, _state.Status);
    }

    [Fact]
    public void Late_repeated_and_other_teams_fixes_change_nothing()
    {
        var flow = DriveTo(DispatchStatus.Acknowledged);
        Assert.True(flow.TeamMoved("T1", Fix(T0.AddMinutes(5), 4_950), T0.AddMinutes(5)));

        Assert.False(flow.TeamMoved("T1", Fix(T0.AddMinutes(5), 50), T0.AddMinutes(6)));
        Assert.False(flow.TeamMoved("T1", Fix(T0.AddMinutes(4), 50), T0.AddMinutes(6)));
        Assert.False(flow.TeamMoved("T2", Fix(T0.AddMinutes(7), 50), T0.AddMinutes(7)));

        Assert.Equal(4_950, _state.TeamDistanceM!.Value, 6);
        Assert.Equal(DispatchStatus.Acknowledged, _state.Status);
    }

    [Fact]
    public void A_move_of_less_than_a_metre_before_acknowledging_is_no_change()
    {
        var flow = DriveTo(DispatchStatus.Assigned);
        Assert.True(flow.TeamMoved("T1", Fix(T0.AddMinutes(2), 3_000), T0.AddMinutes(2)));

        Assert.False(flow.TeamMoved("T1", Fix(T0.AddMinutes(3), 3_000.9), T0.AddMinutes(3)));
        Assert.True(flow.TeamMoved("T1", Fix(T0.AddMinutes(4), 3_002), T0.AddMinutes(4)));
    }

    [Theory]
    [InlineData(4_900.01, AssetState.Working, DispatchStatus.Acknowledged)]
    [InlineData(4_899.99, AssetState.Working, DispatchStatus.EnRoute)]
    [InlineData(5_500, AssetState.Travelling, DispatchStatus.EnRoute)]
    [InlineData(5_500, AssetState.Standby, DispatchStatus.Acknowledged)]
    public void An_acknowledged_team_is_en_route_once_it_came_the_progress_closer_or_reports_travelling(double northM, AssetState state, DispatchStatus expected)
    {
        var flow = DriveTo(DispatchStatus.Acknowledged);

        Assert.True(flow.TeamMoved("T1", Fix(T0.AddMinutes(5), northM, state), T0.AddMinutes(6)));

        Assert.Equal(expected, _state.Status);
        if (expected == DispatchStatus.EnRoute)
        {
            Assert.Equal(T0.AddMinutes(6), _state.EnRouteAt);
            Assert.Equal("T1 (fix at 01:05:00Z)", _state.Trail[^1].By);
            Assert.Equal($"{Math.Round(northM):0} m from the site", _state.Trail[^1].Note);
        }
    }

    [Fact]
    public void A_team_en_route_is_on_site_within_the_radius()
    {
        var flow = DriveTo(DispatchStatus.EnRoute);

        flow.TeamMoved("T1", Fix(T0.AddMinutes(5), 201), T0.AddMinutes(5));
        Assert.Equal(DispatchStatus.EnRoute, _state.Status);

        flow.TeamMoved("T1", Fix(T0.AddMinutes(6), 199), T0.AddMinutes(6));
        Assert.Equal(DispatchStatus.OnSite, _state.Status);
        Assert.Equal(T0.AddMinutes(6), _state.OnSiteAt);
        Assert.Equal(new DispatchStep
        {
            From = DispatchStatus.EnRoute,
            To = DispatchStatus.OnSite,
            At = T0.AddMinutes(6),
            By = "T1 (fix at 01:06:00Z)",
            Note = "199 m from the site",
            TeamId = "T1",
        }, _state.Trail[^1]);
    }

    [Fact]
    public void An_acknowledged_team_reaching_the_site_in_one_fix_passes_en_route_on_its_way()
    {
        var flow = DriveTo(DispatchStatus.Acknowledged);

        flow.TeamMoved("T1", Fix(T0.AddMinutes(5), 10), T0.AddMinutes(5));

        Assert.Equal(DispatchStatus.OnSite, _state.Status);
        Assert.Equal([DispatchStatus.EnRoute, DispatchStatus.OnSite], _state.Trail.TakeLast(2).Select(s => s.To));
    }

    [Fact]
    public void Fixes_on_site_and_after_closing_move_the_request_no_further()
    {
        var flow = DriveTo(DispatchStatus.OnSite);
        var trail = _state.Trail.Count;

        Assert.True(flow.TeamMoved("T1", Fix(T0.AddMinutes(10), 2_000), T0.AddMinutes(10)));
        Assert.Equal(DispatchStatus.OnSite, _state.Status);
        Assert.Equal(trail, _state.Trail.Count);

        flow.Resolve(Destroyed, "T1", T0.AddMinutes(20));
        Assert.False(flow.TeamMoved("T1", Fix(T0.AddMinutes(30), 10), T0.AddMinutes(30)));
    }

    // Closing

    [Fact]
    public void Resolving_records_the_outcome_and_its_note_and_closes_the_request()
    {
        var flow = DriveTo(DispatchStatus.OnSite);

        flow.Resolve(Destroyed, "T1 leader", T0.AddHours(1), onBehalfOf: "radio");

        Assert.True(flow.IsClosed);
        Assert.Equal(DispatchStatus.Resolved, _state.Status);
        Assert.Equal(Destroyed, _state.Outcome);
        Assert.Equal(T0.AddHours(1), _state.ClosedAt);
        Assert.Equal(new DispatchStep
        {
            From = DispatchStatus.OnSite,
            To = DispatchStatus.Resolved,
            At = T0.AddHours(1),
            By = "T1 leader",
            Note = "two mortar rounds",
            TeamId = "T1",
            OnBehalfOf = "radio",
        }, _state.Trail[^1]);
        Assert.Null(flow.NextDue(TimeSpan.FromMinutes(1)));
    }

    [Theory]
    [InlineData(DispatchStatus.Triaged, "request 'REQ-1' is triaged: only a request a team has accepted can be resolved")]
    [InlineData(DispatchStatus.Assigned, "request 'REQ-1' is assigned: only a request a team has accepted can be resolved")]
    [InlineData(DispatchStatus.Resolved, "request 'REQ-1' is resolved")]
    [InlineData(DispatchStatus.Cancelled, "request 'REQ-1' is cancelled")]
    public void Resolving_before_a_team_accepted_or_after_closing_is_refused_with_the_reason(DispatchStatus from, string message)
    {
        var flow = DriveTo(from);

        Assert.Equal(message, Assert.Throws<DispatchConflictException>(() => flow.Resolve(Destroyed, "T1", T0.AddHours(1))).Message);
    }

    [Fact]
    public void Cancelling_notes_the_reason_and_clears_every_open_escalation()
    {
        var flow = DriveTo(DispatchStatus.Assigned);
        flow.Escalate(T0.AddHours(80));
        Assert.Equal(["REQ-1/unacknowledged/1", "REQ-1/overdue"], _state.OpenAlerts);

        flow.Cancel("duplicate report", "dispatcher", T0.AddHours(81), onBehalfOf: "Sok");

        Assert.Empty(_state.OpenAlerts);
        Assert.Equal(
            [AlertSignal.Cleared("REQ-1/unacknowledged/1", T0.AddHours(81)), AlertSignal.Cleared("REQ-1/overdue", T0.AddHours(81))],
            _state.Outbox.Skip(2));
        Assert.Equal("duplicate report", _state.Trail[^1].Note);
        Assert.Equal("Sok", _state.Trail[^1].OnBehalfOf);
        Assert.Equal("T1", _state.Trail[^1].TeamId);
    }

    // Escalations

    [Fact]
    public void An_assignment_not_acknowledged_within_the_timeout_is_escalated_once_and_the_acknowledgement_clears_it()
    {
        var flow = DriveTo(DispatchStatus.Assigned);

        flow.Escalate(T0.AddMinutes(11).AddTicks(-1));
        Assert.Empty(_state.Outbox);

        flow.Escalate(T0.AddMinutes(12));
        flow.Escalate(T0.AddMinutes(13));

        var raised = Assert.Single(_state.Outbox).Raised!;
        Assert.Equal("REQ-1/unacknowledged/1", raised.Id);
        Assert.Equal(AlertKinds.DispatchUnacknowledged, raised.Kind);
        Assert.Equal(AlertSeverity.High, raised.Severity);
        Assert.Equal("T1", raised.AssetId);
        Assert.Equal("DU5", raised.Unit);
        Assert.Equal(Id, raised.RequestId);
        Assert.Equal(T0.AddMinutes(11), raised.RaisedAt); // when it became due, not when it was seen
        Assert.Equal("Team T1 has not acknowledged request REQ-1 (routine) 11 min after assignment", raised.Message);

        flow.Acknowledge("T1", "T1", T0.AddMinutes(14));
        Assert.Equal(AlertSignal.Cleared("REQ-1/unacknowledged/1", T0.AddMinutes(14)), _state.Outbox[^1]);
        Assert.Empty(_state.OpenAlerts);
    }

    [Fact]
    public void Each_assignment_has_its_own_acknowledgement_escalation_and_a_new_one_clears_the_last()
    {
        var flow = DriveTo(DispatchStatus.Assigned);
        flow.Escalate(T0.AddMinutes(11));

        flow.Assign(Claim("T2"), "dispatcher", T0.AddMinutes(20));
        Assert.Equal(AlertSignal.Cleared("REQ-1/unacknowledged/1", T0.AddMinutes(20)), _state.Outbox[^1]);

        flow.Escalate(T0.AddMinutes(29));
        Assert.Equal(2, _state.Outbox.Count);
        flow.Escalate(T0.AddMinutes(30));
        Assert.Equal("REQ-1/unacknowledged/2", _state.Outbox[^1].Raised!.Id);
        Assert.Equal("T2", _state.Outbox[^1].Raised!.AssetId);
    }

    [Fact]
    public void The_acknowledgement_timeout_is_the_rules_one()
    {
        var flow = DriveTo(DispatchStatus.Assigned, new DispatchRules { AckTimeout = TimeSpan.FromMinutes(3) });

        flow.Escalate(T0.AddMinutes(4));

        Assert.Equal("REQ-1/unacknowledged/1", Assert.Single(_state.Outbox).Id);
    }

    [Theory]
    [InlineData(FoundItem.ClusterMunition, true, 2, AlertSeverity.Critical, "No team on site for request REQ-1 (emergency, cluster-munition) by its target of 2 h")]
    [InlineData(FoundItem.Mine, false, 12, AlertSeverity.High, "No team on site for request REQ-1 (high, mine) by its target of 12 h")]
    [InlineData(FoundItem.Uxo, false, 72, AlertSeverity.High, "No team on site for request REQ-1 (routine, uxo) by its target of 72 h")]
    public void A_request_without_a_team_on_site_by_its_target_is_escalated_by_its_priority(FoundItem found, bool nearPeople, int hours, AlertSeverity severity, string message)
    {
        var flow = NewFlow();
        flow.File(Report(found, nearPeople), "dispatcher", T0);

        flow.Escalate(T0.AddHours(hours).AddTicks(-1));
        Assert.Empty(_state.Outbox);

        flow.Escalate(T0.AddHours(hours));
        flow.Escalate(T0.AddHours(hours + 1));

        var raised = Assert.Single(_state.Outbox).Raised!;
        Assert.Equal("REQ-1/overdue", raised.Id);
        Assert.Equal(AlertKinds.DispatchOverdue, raised.Kind);
        Assert.Equal(severity, raised.Severity);
        Assert.Null(raised.AssetId);
        Assert.Equal(T0.AddHours(hours), raised.RaisedAt);
        Assert.Equal(message, raised.Message);
    }

    [Fact]
    public void Reaching_the_site_clears_the_overdue_escalation_and_stops_it()
    {
        var flow = DriveTo(DispatchStatus.EnRoute);
        flow.Escalate(T0.AddHours(72));
        Assert.Contains("REQ-1/overdue", _state.OpenAlerts);

        flow.TeamMoved("T1", Fix(T0.AddHours(73), 0), T0.AddHours(73));

        Assert.Equal(AlertSignal.Cleared("REQ-1/overdue", T0.AddHours(73)), _state.Outbox[^1]);
        Assert.Empty(_state.OpenAlerts);
        flow.Escalate(T0.AddHours(100));
        Assert.Empty(_state.OpenAlerts);
    }

    [Fact]
    public void A_request_on_site_in_time_or_closed_is_never_escalated()
    {
        var onSite = DriveTo(DispatchStatus.OnSite);
        onSite.Escalate(T0.AddDays(10));
        Assert.Empty(_state.Outbox);

        var cancelled = new DispatchFlow("REQ-2", new DispatchState(), new DispatchRules());
        cancelled.File(Report(), "dispatcher", T0);
        cancelled.Assign(Claim("T1"), "dispatcher", T0);
        cancelled.Cancel(null, "dispatcher", T0.AddMinutes(1));
        cancelled.Escalate(T0.AddDays(10));
        Assert.Empty(cancelled.State.Outbox);
    }

    // What becomes due next

    [Fact]
    public void The_next_due_time_is_the_earliest_of_the_acknowledgement_the_resend_and_the_on_site_target()
    {
        var flow = NewFlow();
        flow.File(Report(), "dispatcher", T0);
        Assert.Equal(T0.AddHours(72), flow.NextDue(TimeSpan.FromMinutes(2)));

        flow.Assign(Claim("T1"), "dispatcher", T0.AddMinutes(1));
        Assert.Equal(T0.AddMinutes(3), flow.NextDue(TimeSpan.FromMinutes(2)));
        Assert.Equal(T0.AddMinutes(11), flow.NextDue(TimeSpan.FromHours(1)));

        _state.CommandSentAt = T0.AddMinutes(5);
        Assert.Equal(T0.AddMinutes(7), flow.NextDue(TimeSpan.FromMinutes(2)));

        flow.Escalate(T0.AddMinutes(11)); // the acknowledgement escalation is raised: no longer due
        Assert.Equal(T0.AddMinutes(65), flow.NextDue(TimeSpan.FromHours(1)));
        Assert.Equal(T0.AddHours(72), flow.NextDue(TimeSpan.FromDays(5)));

        flow.Acknowledge("T1", "T1", T0.AddMinutes(12));
        Assert.Equal(T0.AddHours(72), flow.NextDue(TimeSpan.FromMinutes(2)));

        flow.Escalate(T0.AddHours(72));
        Assert.Null(flow.NextDue(TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void Nothing_is_due_on_site_or_once_closed()
    {
        Assert.Null(DriveTo(DispatchStatus.OnSite).NextDue(TimeSpan.FromMinutes(1)));
        Assert.Null(new DispatchFlow("REQ-2", new DispatchState { Status = DispatchStatus.Cancelled }, new DispatchRules()).NextDue(TimeSpan.FromMinutes(1)));
    }

    // The trail

    [Fact]
    public void The_trail_keeps_how_it_began_and_the_newest_steps_when_a_request_is_reassigned_hundreds_of_times()
    {
        var flow = NewFlow();
        flow.File(Report(), "dispatcher", T0);
        for (var i = 1; i <= 300; i++)
        {
            var team = i % 2 == 0 ? "T2" : "T1";
            Assert.True(flow.CheckAssign(team, replace: true));
            flow.Assign(Claim(team), "dispatcher", T0.AddMinutes(i));
        }

        Assert.Equal(200, _state.Trail.Count);
        Assert.Equal(DispatchStatus.Received, _state.Trail[0].To);
        Assert.Equal(DispatchStatus.Triaged, _state.Trail[1].To);
        Assert.Equal(T0.AddMinutes(103), _state.Trail[2].At);
        Assert.Equal(T0.AddMinutes(300), _state.Trail[^1].At);
        Assert.Equal(300, _state.Assignment);
    }

    // Recommendations

    [Fact]
    public void Teams_are_recommended_nearest_first_then_the_home_unit_then_by_id_and_only_when_available()
    {
        var teams = new[]
        {
            Team("T-b", 2_000),
            Team("T-home", 2_000, unit: "DU5"),
            Team("T-a", 2_000),
            Team("T-far", 9_000),
            Team("T-near", 1_000),
            Team("T-sos", 10, state: AssetState.Sos),
            Team("T-offline", 10, online: false),
            Team("T-nowhere", null),
            Team("T-busy", 10, dispatch: "REQ-9"),
            Team("T-no-eod", 10, eod: false),
            Team("M-1", 10, kind: AssetKind.Machine),
        };

        var all = TeamRanking.Rank(13, 103, "DU5", teams, new DispatchRules { Recommendations = 10 });

        Assert.Equal(["T-near", "T-home", "T-a", "T-b", "T-far"], all.Select(r => r.TeamId));
        Assert.Equal(new Recommendation { TeamId = "T-near", Name = "Team T-near", Unit = "DU2", DistanceM = 1_000, EtaMinutes = 2.1 }, all[0]);
        Assert.Equal(2_000, all[1].DistanceM);
        Assert.Equal(4.2, all[1].EtaMinutes);

        Assert.Equal(["T-near", "T-home", "T-a"], TeamRanking.Rank(13, 103, "DU5", teams, new DispatchRules()).Select(r => r.TeamId));
        Assert.Equal(["T-near", "T-a", "T-b"], TeamRanking.Rank(13, 103, "DU9", teams, new DispatchRules()).Select(r => r.TeamId));
        Assert.Equal(["T-near"], TeamRanking.Rank(13, 103, null, teams, new DispatchRules { Recommendations = 0 }).Select(r => r.TeamId));
    }

    [Fact]
    public void No_available_team_means_no_recommendation() =>
        Assert.Empty(TeamRanking.Rank(13, 103, "DU5", [Team("T-sos", 10, state: AssetState.Sos)], new DispatchRules()));

    [Fact]
    public void Available_means_an_online_eod_team_with_a_position_not_in_sos_and_not_sent_elsewhere()
    {
        Assert.True(TeamRanking.IsAvailable(Team("T", 0)));
        Assert.True(TeamRanking.IsAvailable(Team("T", 0, state: AssetState.Working)));
        Assert.False(TeamRanking.IsAvailable(Team("T", 0, state: AssetState.Sos)));
        Assert.False(TeamRanking.IsAvailable(Team("T", 0, online: false)));
        Assert.False(TeamRanking.IsAvailable(Team("T", null)));
        Assert.False(TeamRanking.IsAvailable(Team("T", 0, dispatch: "REQ-9")));
        Assert.False(TeamRanking.IsAvailable(Team("T", 0, eod: false)));
        Assert.False(TeamRanking.IsAvailable(Team("T", 0, kind: AssetKind.Dog)));
    }

    [Fact]
    public void Distances_are_great_circle_and_travel_time_follows_the_road_factor_and_speed()
    {
        Assert.Equal(111_195.08, TeamRanking.DistanceM(0, 0, 1, 0), 1);
        Assert.Equal(111_195.08, TeamRanking.DistanceM(0, 0, 0, 1), 1);
        Assert.Equal(TeamRanking.DistanceM(13, 103, 13.5, 103.5), TeamRanking.DistanceM(13.5, 103.5, 13, 103), 9);
        Assert.Equal(0, TeamRanking.DistanceM(13, 103, 13, 103));
        Assert.Equal(21, new DispatchRules().EtaMinutes(10_000), 9);
        Assert.Equal(15, new DispatchRules { RoadFactor = 1, SpeedKmh = 60 }.EtaMinutes(15_000), 9);
    }

    // Personal data

    [Fact]
    public void A_resolved_request_keeps_its_reporter_for_the_retention_from_its_close()
    {
        var report = Report() with { ReporterName = "Sok Dara", ReporterPhone = "+855 12 345 678" };
        var flow = NewFlow(new DispatchRules { PersonalDataRetention = TimeSpan.FromDays(30) });
        flow.File(report, "dispatcher", T0);
        flow.Assign(Claim("T1"), "dispatcher", T0);
        flow.Acknowledge("T1", "T1", T0);
        Assert.Null(flow.PersonalDataDue);
        Assert.True(flow.IsSameReport(report));

        flow.Resolve(Destroyed, "T1", T0.AddDays(2));
        Assert.Equal(T0.AddDays(32), flow.PersonalDataDue);
        Assert.False(flow.ErasePersonalData(T0.AddDays(31)));

        Assert.True(flow.ErasePersonalData(T0.AddDays(33)));
        Assert.Equal(T0.AddDays(33), _state.PersonalDataErasedAt);
        Assert.Equal(report with { ReporterName = null, ReporterPhone = null }, _state.Report);
        Assert.True(flow.IsSameReport(report));
        Assert.True(flow.IsSameReport(report with { ReporterName = null, ReporterPhone = null }));
    }
}
