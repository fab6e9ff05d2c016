using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Tracking;

namespace CmacLive.Domain.Tests;

public sealed class AssetAlertRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 12, 3, 4, 5, TimeSpan.Zero);

    private readonly AssetTrackState _track = new();

    private List<AlertSignal> Outbox => _track.Alerts.Outbox;

    private AssetAlertRules NewRules(AssetKind kind = AssetKind.Team, string? taskArea = "HA-1", AlertRules? rules = null)
    {
        _track.Profile = new AssetProfile { Kind = kind, Name = "Asset one", Unit = "DU5" };
        _track.TaskArea = taskArea;
        return new AssetAlertRules("A1", _track, rules ?? new AlertRules());
    }

    // SOS

    [Fact]
    public void A_status_overtaken_by_a_new_sos_ends_the_open_sos_episode_and_the_new_one_has_its_own_id()
    {
        var rules = NewRules();
        _track.State = AssetState.Sos;
        _track.StateTs = T0;
        rules.OnState(AssetState.Sos, T0, T0);
        var first = _track.Alerts.Sos!;

        // "working" of 10 s was in flight when the SOS of 12 s overtook it: the tracker kept the SOS state and moved its time.
        _track.StateTs = T0.AddSeconds(12);
        rules.OnState(AssetState.Sos, T0.AddSeconds(12), T0.AddSeconds(12));
        Assert.Single(Outbox);
        rules.OnOvertaken(AssetState.Working, T0.AddSeconds(10), T0.AddSeconds(13));

        Assert.Equal(AlertSignal.Cleared(first, T0.AddSeconds(13)), Outbox[1]);
        Assert.Equal(AlertIds.For(AlertKinds.Sos, "A1", T0.AddSeconds(12)), Outbox[2].Raised!.Id);
        Assert.Equal(Outbox[2].Raised!.Id, _track.Alerts.Sos);

        // An older status from before the episode, or another SOS, changes nothing.
        rules.OnOvertaken(AssetState.Working, T0.AddSeconds(5), T0.AddSeconds(14));
        rules.OnOvertaken(AssetState.Sos, T0.AddSeconds(11), T0.AddSeconds(14));
        Assert.Equal(3, Outbox.Count);
    }

    [Fact]
    public void An_sos_raises_one_critical_alert_with_where_the_asset_is_and_a_later_state_clears_it()
    {
        var rules = NewRules();
        _track.HazardArea = "HA-1";
        _track.Position = new Position { Lat = 13.5, Lon = 102.25, Ts = T0 };
        _track.State = AssetState.Sos;

        rules.OnState(AssetState.Sos, T0, T0.AddSeconds(1));
        rules.OnState(AssetState.Sos, T0.AddSeconds(5), T0.AddSeconds(6));

        var raised = Assert.Single(Outbox).Raised!;
        var id = AlertIds.For(AlertKinds.Sos, "A1", T0);
        Assert.Equal(id, raised.Id);
        Assert.Equal(AlertKinds.Sos, raised.Kind);
        Assert.Equal(AlertSeverity.Critical, raised.Severity);
        Assert.Equal("A1", raised.AssetId);
        Assert.Equal("HA-1", raised.HazardArea);
        Assert.Equal("DU5", raised.Unit);
        Assert.Equal(T0.AddSeconds(1), raised.RaisedAt);
        Assert.Equal("SOS from Asset one (A1) at 13.500000, 102.250000", raised.Message);
        Assert.Equal(id, _track.Alerts.Sos);

        _track.State = AssetState.Standby;
        rules.OnState(AssetState.Standby, T0.AddMinutes(1), T0.AddMinutes(2));

        Assert.Equal(AlertSignal.Cleared(id, T0.AddMinutes(2)), Outbox[^1]);
        Assert.Null(_track.Alerts.Sos);
    }

    [Fact]
    public void An_sos_without_a_position_or_a_profile_names_the_asset_by_its_id_and_says_no_place()
    {
        var rules = new AssetAlertRules("A1", _track, new AlertRules());
        rules.OnState(AssetState.Sos, T0, T0);

        var raised = Assert.Single(Outbox).Raised!;
        Assert.Equal("SOS from A1 (A1)", raised.Message);
        Assert.Null(raised.Unit);
        Assert.Null(raised.HazardArea);
    }

    [Fact]
    public void A_state_other_than_sos_with_no_sos_open_signals_nothing()
    {
        var rules = NewRules();
        rules.OnState(AssetState.Working, T0, T0);
        rules.OnState(AssetState.Resting, T0.AddSeconds(1), T0.AddSeconds(1));

        Assert.Empty(Outbox);
    }

    // Entry into an area the asset is not assigned to

    [Fact]
    public void Staying_in_an_area_not_assigned_for_the_dwell_raises_an_entry_alert_from_the_first_sighting()
    {
        var rules = NewRules();
        rules.OnPosition(T0, "HA-2", T0);
        rules.OnPosition(T0.AddSeconds(14.999), "HA-2", T0.AddSeconds(15));
        Assert.Empty(Outbox);

        rules.OnPosition(T0.AddSeconds(15), "HA-2", T0.AddSeconds(16));

        var raised = Assert.Single(Outbox).Raised!;
        Assert.Equal(AlertIds.For(AlertKinds.UnassignedEntry, "A1", T0), raised.Id);
        Assert.Equal(AlertKinds.UnassignedEntry, raised.Kind);
        Assert.Equal(AlertSeverity.High, raised.Severity);
        Assert.Equal("HA-2", raised.HazardArea);
        Assert.Equal(T0.AddSeconds(16), raised.RaisedAt);
        Assert.Equal("Asset one (A1) is inside hazard area HA-2, which it is not assigned to, since 03:04:05Z", raised.Message);
        Assert.Equal("HA-2", _track.Alerts.EntryArea);

        rules.OnPosition(T0.AddSeconds(30), "HA-2", T0.AddSeconds(31));
        Assert.Single(Outbox);
    }

    [Fact]
    public void Leaving_the_area_clears_the_entry_alert()
    {
        var rules = NewRules();
        rules.OnPosition(T0, "HA-2", T0);
        rules.OnPosition(T0.AddSeconds(20), "HA-2", T0.AddSeconds(20));
        var id = _track.Alerts.Entry!;

        rules.OnPosition(T0.AddSeconds(25), null, T0.AddSeconds(26));

        Assert.Equal(AlertSignal.Cleared(id, T0.AddSeconds(26)), Outbox[^1]);
        Assert.Null(_track.Alerts.Entry);
        Assert.Null(_track.Alerts.EntryArea);
    }

    [Fact]
    public void The_assigned_area_and_no_area_never_raise_an_entry_alert()
    {
        var rules = NewRules();
        for (var s = 0; s <= 120; s += 5)
        {
            rules.OnPosition(T0.AddSeconds(s), s < 60 ? "HA-1" : null, T0.AddSeconds(s));
        }

        Assert.Empty(Outbox);
    }

    [Fact]
    public void An_asset_with_no_task_is_foreign_to_every_area()
    {
        var rules = NewRules(taskArea: null);
        rules.OnPosition(T0, "HA-1", T0);
        rules.OnPosition(T0.AddSeconds(15), "HA-1", T0.AddSeconds(15));

        Assert.Equal("HA-1", Assert.Single(Outbox).Raised!.HazardArea);
    }

    [Fact]
    public void A_step_out_of_the_area_starts_the_dwell_again()
    {
        var rules = NewRules();
        rules.OnPosition(T0, "HA-2", T0);
        rules.OnPosition(T0.AddSeconds(5), null, T0.AddSeconds(5));
        rules.OnPosition(T0.AddSeconds(10), "HA-2", T0.AddSeconds(10));
        rules.OnPosition(T0.AddSeconds(20), "HA-2", T0.AddSeconds(20));
        Assert.Empty(Outbox);

        rules.OnPosition(T0.AddSeconds(25), "HA-2", T0.AddSeconds(25));

        Assert.Equal(AlertIds.For(AlertKinds.UnassignedEntry, "A1", T0.AddSeconds(10)), Assert.Single(Outbox).Id);
    }

    [Fact]
    public void A_late_fix_is_put_in_its_place_and_can_complete_the_dwell()
    {
        var rules = NewRules();
        rules.OnPosition(T0.AddSeconds(15), "HA-2", T0.AddSeconds(15));
        Assert.Empty(Outbox);

        rules.OnPosition(T0, "HA-2", T0.AddSeconds(16));

        Assert.Equal(AlertIds.For(AlertKinds.UnassignedEntry, "A1", T0), Assert.Single(Outbox).Id);
        Assert.Equal([T0, T0.AddSeconds(15)], _track.Alerts.Sightings.Select(s => s.Ts));
    }

    [Fact]
    public void A_late_fix_outside_the_area_does_not_clear_an_alert_judged_on_the_newest_fix()
    {
        var rules = NewRules();
        rules.OnPosition(T0, "HA-2", T0);
        rules.OnPosition(T0.AddSeconds(20), "HA-2", T0.AddSeconds(20));

        rules.OnPosition(T0.AddSeconds(10), null, T0.AddSeconds(21));

        Assert.Single(Outbox);
        Assert.NotNull(_track.Alerts.Entry);
    }

    [Fact]
    public void A_fix_at_a_device_time_already_seen_is_ignored()
    {
        var rules = NewRules();
        rules.OnPosition(T0, "HA-2", T0);
        rules.OnPosition(T0, null, T0);

        Assert.Equal("HA-2", Assert.Single(_track.Alerts.Sightings).Area);
    }

    [Fact]
    public void Moving_into_another_foreign_area_clears_the_first_alert_and_dwells_again()
    {
        var rules = NewRules();
        rules.OnPosition(T0, "HA-2", T0);
        rules.OnPosition(T0.AddSeconds(15), "HA-2", T0.AddSeconds(15));
        var first = _track.Alerts.Entry!;

        rules.OnPosition(T0.AddSeconds(16), "HA-3", T0.AddSeconds(16));
        Assert.Equal(2, Outbox.Count);
        Assert.Equal(AlertSignal.Cleared(first, T0.AddSeconds(16)), Outbox[1]);

        rules.OnPosition(T0.AddSeconds(31), "HA-3", T0.AddSeconds(31));
        var second = Outbox[2].Raised!;
        Assert.Equal(AlertIds.For(AlertKinds.UnassignedEntry, "A1", T0.AddSeconds(16)), second.Id);
        Assert.Equal("HA-3", second.HazardArea);
    }

    [Fact]
    public void Being_assigned_to_the_area_clears_the_entry_alert_and_being_unassigned_raises_it_again()
    {
        var rules = NewRules();
        rules.OnPosition(T0, "HA-2", T0);
        rules.OnPosition(T0.AddSeconds(15), "HA-2", T0.AddSeconds(15));
        var id = _track.Alerts.Entry!;

        _track.TaskArea = "HA-2";
        rules.OnTaskChanged(T0.AddSeconds(20));
        Assert.Equal(AlertSignal.Cleared(id, T0.AddSeconds(20)), Outbox[^1]);

        // Taken off it again, still inside: a new episode, whose id the ledger has not seen (the same id would be ignored).
        _track.TaskArea = "HA-1";
        rules.OnTaskChanged(T0.AddSeconds(30));
        Assert.Equal(3, Outbox.Count);
        var again = Outbox[2].Raised!.Id;
        Assert.NotEqual(id, again);

        _track.TaskArea = "HA-2";
        rules.OnTaskChanged(T0.AddSeconds(40));
        _track.TaskArea = "HA-1";
        rules.OnTaskChanged(T0.AddSeconds(50));
        Assert.Equal(5, Outbox.Count);
        Assert.DoesNotContain(Outbox[4].Raised!.Id, new[] { id, again });
    }

    [Fact]
    public void A_run_of_the_most_sightings_kept_in_one_area_counts_as_dwelling_however_short()
    {
        var rules = NewRules();
        for (var i = 0; i < AssetAlertRules.MaxSightings - 1; i++)
        {
            rules.OnPosition(T0.AddMilliseconds(100 * i), "HA-2", T0);
        }

        Assert.Empty(Outbox);

        rules.OnPosition(T0.AddMilliseconds(100 * (AssetAlertRules.MaxSightings - 1)), "HA-2", T0);

        Assert.Equal(64, AssetAlertRules.MaxSightings);
        Assert.Equal(AlertIds.For(AlertKinds.UnassignedEntry, "A1", T0), Assert.Single(Outbox).Id);
    }

    [Fact]
    public void Sightings_are_bounded_by_count_and_by_the_dwell_and_a_minute()
    {
        var rules = NewRules();
        for (var i = 0; i < 100; i++)
        {
            rules.OnPosition(T0.AddMilliseconds(10 * i), null, T0);
        }

        Assert.Equal(AssetAlertRules.MaxSightings, _track.Alerts.Sightings.Count);
        Assert.Equal(T0.AddMilliseconds(10 * 36), _track.Alerts.Sightings[0].Ts);

        rules.OnPosition(T0.AddSeconds(100), null, T0);
        rules.OnPosition(T0.AddSeconds(175), null, T0);

        // Kept: not older than the newest less the dwell (15 s) and a minute.
        Assert.Equal([T0.AddSeconds(100), T0.AddSeconds(175)], _track.Alerts.Sightings.Select(s => s.Ts));
    }

    // Stale

    [Theory]
    [InlineData(AssetKind.Team, 120)]
    [InlineData(AssetKind.Machine, 120)]
    [InlineData(AssetKind.Dog, 60)]
    [InlineData(AssetKind.Rat, 60)]
    public void A_working_assigned_asset_silent_for_its_kinds_limit_is_stale(AssetKind kind, int seconds)
    {
        var rules = NewRules(kind);
        _track.State = AssetState.Working;
        _track.LastHeardAt = T0;

        rules.OnTick(T0.AddSeconds(seconds).AddTicks(-1));
        Assert.Empty(Outbox);

        rules.OnTick(T0.AddSeconds(seconds));
        var raised = Assert.Single(Outbox).Raised!;
        Assert.Equal(AlertIds.For(AlertKinds.Stale, "A1", T0), raised.Id);
        Assert.Equal(AlertKinds.Stale, raised.Kind);
        Assert.Equal(AlertSeverity.High, raised.Severity);
        Assert.Equal("HA-1", raised.HazardArea);
        Assert.Equal(T0.AddSeconds(seconds), raised.RaisedAt);
        Assert.Equal($"Asset one (A1) working in HA-1 has not reported for {seconds} s", raised.Message);

        rules.OnTick(T0.AddSeconds(seconds * 3));
        Assert.Single(Outbox);
    }

    [Fact]
    public void A_kind_missing_from_the_settings_is_stale_after_two_minutes()
    {
        var settings = new AlertRules { StaleAfter = new Dictionary<AssetKind, TimeSpan> { [AssetKind.Dog] = TimeSpan.FromSeconds(10) } };
        Assert.Equal(TimeSpan.FromSeconds(10), settings.StaleAfterFor(AssetKind.Dog));
        Assert.Equal(TimeSpan.FromMinutes(2), settings.StaleAfterFor(AssetKind.Machine));

        var rules = NewRules(AssetKind.Machine, rules: settings);
        _track.State = AssetState.Working;
        _track.LastHeardAt = T0;
        rules.OnTick(T0.AddSeconds(119));
        Assert.Empty(Outbox);
        rules.OnTick(T0.AddSeconds(120));
        Assert.Single(Outbox);
    }

    [Theory]
    [InlineData(AssetState.Resting, "HA-1", true, true)]
    [InlineData(AssetState.Travelling, "HA-1", true, true)]
    [InlineData(AssetState.Sos, "HA-1", true, true)]
    [InlineData(AssetState.Working, null, true, true)]
    [InlineData(AssetState.Working, "HA-1", false, true)]
    [InlineData(AssetState.Working, "HA-1", true, false)]
    public void Only_an_asset_assigned_working_heard_before_and_known_can_be_stale(AssetState state, string? task, bool heard, bool profiled)
    {
        var rules = NewRules(taskArea: task);
        if (!profiled)
        {
            _track.Profile = null;
        }

        _track.State = state;
        _track.LastHeardAt = heard ? T0 : null;

        rules.OnTick(T0.AddHours(1));

        Assert.DoesNotContain(Outbox, s => s.Raised?.Kind == AlertKinds.Stale);
        Assert.Null(_track.Alerts.Stale);
    }

    [Fact]
    public void Hearing_from_the_device_clears_the_stale_alert()
    {
        var rules = NewRules();
        _track.State = AssetState.Working;
        _track.LastHeardAt = T0;
        rules.OnTick(T0.AddMinutes(3));
        var id = _track.Alerts.Stale!;

        rules.OnHeard(T0.AddMinutes(4));
        rules.OnHeard(T0.AddMinutes(5));

        Assert.Equal(2, Outbox.Count);
        Assert.Equal(AlertSignal.Cleared(id, T0.AddMinutes(4)), Outbox[1]);
        Assert.Null(_track.Alerts.Stale);
    }

    [Fact]
    public void Losing_the_task_clears_the_stale_alert_and_a_new_task_does_not()
    {
        var rules = NewRules();
        _track.State = AssetState.Working;
        _track.LastHeardAt = T0;
        rules.OnTick(T0.AddMinutes(3));
        var id = _track.Alerts.Stale!;

        _track.TaskArea = "HA-9";
        rules.OnTaskChanged(T0.AddMinutes(4));
        Assert.Equal(id, _track.Alerts.Stale);

        _track.TaskArea = null;
        rules.OnTaskChanged(T0.AddMinutes(5));
        Assert.Equal(AlertSignal.Cleared(id, T0.AddMinutes(5)), Outbox[^1]);
        Assert.Null(_track.Alerts.Stale);
    }

    // Animal work and rest periods

    [Theory]
    [InlineData(AssetKind.Dog)]
    [InlineData(AssetKind.Rat)]
    public void An_animal_working_its_whole_work_period_raises_a_warning_and_resting_clears_it(AssetKind kind)
    {
        var rules = NewRules(kind);
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0, T0);
        Assert.Equal(T0, _track.Alerts.WorkSince);

        rules.OnTick(T0.AddMinutes(30).AddTicks(-1));
        Assert.Empty(Outbox);

        rules.OnTick(T0.AddMinutes(30));
        var raised = Assert.Single(Outbox).Raised!;
        Assert.Equal(AlertIds.For(AlertKinds.AnimalWorkPeriod, "A1", T0.AddMinutes(30)), raised.Id);
        Assert.Equal(AlertKinds.AnimalWorkPeriod, raised.Kind);
        Assert.Equal(AlertSeverity.Warning, raised.Severity);
        Assert.Equal("HA-1", raised.HazardArea);
        Assert.Equal("Asset one (A1) has worked 30 min without a 30 min rest", raised.Message);

        rules.OnTick(T0.AddMinutes(45));
        Assert.Single(Outbox);

        _track.State = AssetState.Resting;
        rules.OnState(AssetState.Resting, T0.AddMinutes(50), T0.AddMinutes(50));
        Assert.Equal(AlertSignal.Cleared(raised.Id, T0.AddMinutes(50)), Outbox[^1]);
        Assert.Null(_track.Alerts.WorkPeriod);
        Assert.Equal(T0.AddMinutes(50), _track.Alerts.RestSince);
    }

    [Fact]
    public void A_team_or_machine_has_no_work_period()
    {
        foreach (var kind in new[] { AssetKind.Team, AssetKind.Machine })
        {
            var track = new AssetTrackState { Profile = new AssetProfile { Kind = kind, Name = "n", Unit = "DU5" }, State = AssetState.Working };
            var rules = new AssetAlertRules("A1", track, new AlertRules());
            rules.OnState(AssetState.Working, T0, T0);
            rules.OnPosition(T0.AddHours(5), null, T0.AddHours(5));

            Assert.Null(track.Alerts.WorkSince);
            Assert.Empty(track.Alerts.Outbox);
        }
    }

    [Fact]
    public void A_rest_shorter_than_the_rest_period_does_not_restart_the_work_period()
    {
        var rules = NewRules(AssetKind.Dog);
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0, T0);
        _track.State = AssetState.Resting;
        rules.OnState(AssetState.Resting, T0.AddMinutes(10), T0.AddMinutes(10));
        _track.State = AssetState.Standby;
        rules.OnState(AssetState.Standby, T0.AddMinutes(15), T0.AddMinutes(15));
        Assert.Equal(T0.AddMinutes(10), _track.Alerts.RestSince); // the rest began at the first stop
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0.AddMinutes(39).AddSeconds(59), T0.AddMinutes(40));

        Assert.Equal(T0, _track.Alerts.WorkSince);
        Assert.Null(_track.Alerts.RestSince);
        var raised = Assert.Single(Outbox).Raised!; // judged at the state's device time: 39 min after T0
        Assert.Equal(AlertIds.For(AlertKinds.AnimalWorkPeriod, "A1", T0.AddMinutes(39).AddSeconds(59)), raised.Id);
        Assert.Contains("has worked 39 min", raised.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rest_of_the_whole_rest_period_restarts_the_work_period()
    {
        var rules = NewRules(AssetKind.Rat);
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0, T0);
        _track.State = AssetState.Resting;
        rules.OnState(AssetState.Resting, T0.AddMinutes(10), T0.AddMinutes(10));
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0.AddMinutes(40), T0.AddMinutes(40));

        Assert.Equal(T0.AddMinutes(40), _track.Alerts.WorkSince);
        rules.OnTick(T0.AddMinutes(69));
        Assert.Empty(Outbox);
        rules.OnTick(T0.AddMinutes(70));
        Assert.Single(Outbox);
    }

    [Fact]
    public void A_fix_at_the_end_of_the_work_period_raises_the_warning_on_device_time()
    {
        var rules = NewRules(AssetKind.Dog);
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0, T0);

        rules.OnPosition(T0.AddMinutes(30), "HA-1", T0.AddMinutes(31));

        var raised = Assert.Single(Outbox).Raised!;
        Assert.Equal(AlertIds.For(AlertKinds.AnimalWorkPeriod, "A1", T0.AddMinutes(30)), raised.Id);
        Assert.Equal(T0.AddMinutes(31), raised.RaisedAt);
    }

    [Fact]
    public void An_animal_without_a_task_is_warned_in_the_area_it_is_in()
    {
        var rules = NewRules(AssetKind.Dog, taskArea: null);
        _track.HazardArea = "HA-7";
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0, T0);
        rules.OnTick(T0.AddMinutes(30));

        Assert.Equal("HA-7", Assert.Single(Outbox).Raised!.HazardArea);
    }

    [Fact]
    public void The_work_and_rest_periods_are_the_rules_ones()
    {
        var rules = NewRules(AssetKind.Dog, rules: new AlertRules { AnimalWorkPeriod = TimeSpan.FromMinutes(20), AnimalRestPeriod = TimeSpan.FromMinutes(5) });
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0, T0);
        _track.State = AssetState.Resting;
        rules.OnState(AssetState.Resting, T0.AddMinutes(10), T0.AddMinutes(10));
        _track.State = AssetState.Working;
        rules.OnState(AssetState.Working, T0.AddMinutes(15), T0.AddMinutes(15));
        Assert.Equal(T0.AddMinutes(15), _track.Alerts.WorkSince);

        rules.OnTick(T0.AddMinutes(35));

        Assert.Equal("Asset one (A1) has worked 20 min without a 5 min rest", Assert.Single(Outbox).Raised!.Message);
    }
}
