using CmacLive.Alerts;
using CmacLive.Assets;

namespace CmacLive.Grains.Tests;

/// <summary>Every asset-level and area-level alert rule on the fake clock: raised once per episode, cleared when over.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SafetyAlertGrainTests(ClusterFixture fixture)
{
    private readonly FieldScene _scene = new(fixture);

    private DateTimeOffset Now => fixture.Time.GetUtcNow();

    private IAlertLedgerGrain Ledger => fixture.Grains.GetGrain<IAlertLedgerGrain>(0);

    [Fact]
    public async Task An_sos_is_raised_at_once_and_only_once_pushed_cleared_when_over_and_closed_when_acknowledged()
    {
        var team = await _scene.AssetAsync();
        var t0 = Now.AddMinutes(-1);
        await team.FixAsync(10, 10, t0);

        await team.StateAsync(AssetState.Sos, t0.AddSeconds(1));
        await team.StateAsync(AssetState.Sos, t0.AddSeconds(2));

        var sos = Assert.Single(await _scene.AlertsAsync(AlertKinds.Sos, team.Id));
        Assert.Equal(AlertSeverity.Critical, sos.Severity);
        Assert.Equal(team.Id, sos.AssetId);
        Assert.Null(sos.ClearedAt);
        Assert.Contains(team.Id, sos.Message, StringComparison.Ordinal);
        var pushed = await fixture.PushedAlertsAsync(l => l.Any(u => u.Alert.Id == sos.Id));
        Assert.True(pushed.First(u => u.Alert.Id == sos.Id).Raised);

        await team.StateAsync(AssetState.Working, t0.AddSeconds(30));
        var cleared = (await Ledger.Get(sos.Id))!;
        Assert.NotNull(cleared.ClearedAt);
        Assert.Contains(await Ledger.List(openOnly: true), a => a.Id == sos.Id);

        var acknowledged = (await Ledger.Acknowledge(sos.Id, "duty officer", "team called back, false alarm"))!;
        Assert.Equal("duty officer", acknowledged.AcknowledgedBy);
        Assert.NotNull(acknowledged.AcknowledgedAt);
        Assert.Equal(["raised", "cleared", "acknowledged"], acknowledged.Trail.Select(t => t.Action));
        Assert.Equal("team called back, false alarm", acknowledged.Trail[^1].Note);
        Assert.DoesNotContain(await Ledger.List(openOnly: true), a => a.Id == sos.Id);
        Assert.Contains(await Ledger.List(openOnly: false), a => a.Id == sos.Id);
        Assert.Equal("duty officer", (await Ledger.Acknowledge(sos.Id, "someone else", null))!.AcknowledgedBy);

        // A second SOS is a new episode.
        await team.StateAsync(AssetState.Sos, t0.AddSeconds(40));
        Assert.Equal(2, (await _scene.AlertsAsync(AlertKinds.Sos, team.Id)).Count);
    }

    [Fact]
    public async Task Every_ledger_change_takes_the_next_sequence_number_and_a_hub_that_missed_some_gets_them_from_the_ledger()
    {
        var head = (await Ledger.Since(long.MaxValue)).Head;
        var at = Now;
        var raised = new Alert { Id = $"test-seq-{Guid.NewGuid():N}", Kind = AlertKinds.Stale, Severity = AlertSeverity.High, Message = "m", RaisedAt = at, Provisional = true };
        await Ledger.Apply([AlertSignal.Raise(raised)]);
        await Ledger.Apply([AlertSignal.Raise(raised)]); // a retry of a stored raise: nothing changes
        await Ledger.Apply([AlertSignal.Cleared(raised.Id, at.AddSeconds(5))]);

        // (Other tests' assets may change the ledger meanwhile: numbers are compared, not counted.)
        var changes = await Ledger.Since(head);
        var alert = Assert.Single(changes.Alerts, a => a.Id == raised.Id);
        Assert.True(alert.RaisedSeq > head && alert.Seq > alert.RaisedSeq && changes.Head >= alert.Seq, $"{head} {alert.RaisedSeq} {alert.Seq} {changes.Head}");
        Assert.NotNull(alert.ClearedAt);
        Assert.Null(alert.Provisional); // only the fast lane's copy is provisional, never the ledger's
        Assert.Equal(changes.Alerts.Select(a => a.Seq).Order(), changes.Alerts.Select(a => a.Seq)); // oldest change first

        // Asked from the raise on: the alert as it now stands; from its last change on: not again.
        Assert.Equal(alert.Seq, Assert.Single((await Ledger.Since(alert.RaisedSeq)).Alerts, a => a.Id == raised.Id).Seq);
        Assert.DoesNotContain((await Ledger.Since(alert.Seq)).Alerts, a => a.Id == raised.Id);
        var acknowledged = await Ledger.Acknowledge(raised.Id, "duty officer", null);
        Assert.True(acknowledged!.Seq > alert.Seq);
        Assert.Contains((await Ledger.Since(alert.Seq)).Alerts, a => a.Id == raised.Id && a.AcknowledgedAt is not null);
    }

    [Fact]
    public async Task Entering_an_area_the_asset_is_not_assigned_to_is_raised_after_the_dwell_and_cleared_on_leaving()
    {
        var area = await _scene.AreaAsync(0, 0, 100, 100);
        var team = await _scene.AssetAsync();
        var t0 = Now.AddMinutes(-2);

        await team.FixAsync(-5, 50, t0);
        await team.FixAsync(5, 50, t0.AddSeconds(5));
        await team.FixAsync(6, 50, t0.AddSeconds(15));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, team.Id));

        await team.FixAsync(7, 50, t0.AddSeconds(21));
        await team.FixAsync(8, 50, t0.AddSeconds(25));
        var entry = Assert.Single(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, team.Id));
        Assert.Equal(area, entry.HazardArea);
        Assert.Equal(AlertSeverity.High, entry.Severity);

        await team.FixAsync(-5, 50, t0.AddSeconds(30));
        Assert.NotNull(Assert.Single(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, team.Id)).ClearedAt);
    }

    [Fact]
    public async Task Gps_jitter_across_the_edge_never_adds_up_to_the_dwell()
    {
        await _scene.AreaAsync(0, 0, 100, 100);
        var team = await _scene.AssetAsync();
        var t0 = Now.AddMinutes(-2);

        for (var i = 0; i < 12; i++)
        {
            await team.FixAsync(i % 2 == 0 ? 1 : -1, 50, t0.AddSeconds(5 * i));
        }

        Assert.Empty(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, team.Id));
    }

    [Fact]
    public async Task The_assigned_area_raises_no_entry_alert_and_assigning_ends_an_open_one()
    {
        var area = await _scene.AreaAsync(0, 0, 100, 100);
        var assigned = await _scene.AssetAsync();
        var visitor = await _scene.AssetAsync();
        await assigned.AssignAsync(area);
        var t0 = Now.AddMinutes(-2);

        for (var i = 0; i < 5; i++)
        {
            await assigned.FixAsync(50, 50, t0.AddSeconds(10 * i));
            await visitor.FixAsync(60, 60, t0.AddSeconds(10 * i));
        }

        Assert.Empty(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, assigned.Id));
        Assert.Single(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, visitor.Id));

        await visitor.AssignAsync(area);
        Assert.NotNull(Assert.Single(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, visitor.Id)).ClearedAt);
        Assert.Equal(area, (await visitor.StatusAsync()).TaskArea);
    }

    [Fact]
    public async Task Late_fixes_are_judged_in_device_time_order()
    {
        await _scene.AreaAsync(0, 0, 100, 100);
        var first = await _scene.AssetAsync();
        var t0 = Now.AddMinutes(-2);

        // Inside at t0+20 arrives before inside at t0: in device-time order it has been inside for 20 s.
        await first.FixAsync(50, 50, t0.AddSeconds(20));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, first.Id));
        Assert.Equal(ReportOutcome.Late, await first.FixAsync(50, 50, t0));
        var raised = Assert.Single(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, first.Id));

        // A late fix from outside, older than the newest, neither clears the episode nor starts another.
        await first.FixAsync(-20, 50, t0.AddSeconds(10));
        var still = Assert.Single(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, first.Id));
        Assert.Equal(raised.Id, still.Id);
        Assert.Null(still.ClearedAt);

        // The other way round: a late outside fix between two inside ones breaks the stay.
        var second = await _scene.AssetAsync();
        await second.FixAsync(50, 50, t0);
        await second.FixAsync(-20, 50, t0.AddSeconds(10));
        await second.FixAsync(50, 50, t0.AddSeconds(20));
        Assert.Equal(ReportOutcome.Late, await second.FixAsync(50, 50, t0.AddSeconds(12)));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, second.Id));
        await second.FixAsync(50, 50, t0.AddSeconds(28));
        Assert.Single(await _scene.AlertsAsync(AlertKinds.UnassignedEntry, second.Id));
    }

    [Fact]
    public async Task An_assigned_asset_that_goes_silent_while_working_is_stale_until_it_reports_again()
    {
        var area = await _scene.AreaAsync(0, 0, 100, 100);
        var team = await _scene.AssetAsync();
        await team.AssignAsync(area);
        await team.StateAsync(AssetState.Working, Now);
        await team.FixAsync(50, 50, Now);

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(10));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.Stale, team.Id));

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(10));
        var stale = await fixture.EventuallyAsync(() => _scene.AlertsAsync(AlertKinds.Stale, team.Id), l => l.Count > 0, "stale raised");
        Assert.Equal(area, Assert.Single(stale).HazardArea);

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10));
        Assert.Single(await _scene.AlertsAsync(AlertKinds.Stale, team.Id));

        await team.FixAsync(51, 50, Now);
        Assert.NotNull(Assert.Single(await _scene.AlertsAsync(AlertKinds.Stale, team.Id)).ClearedAt);
    }

    [Fact]
    public async Task A_resting_or_unassigned_asset_is_never_stale()
    {
        var area = await _scene.AreaAsync(0, 0, 100, 100);
        var resting = await _scene.AssetAsync();
        var free = await _scene.AssetAsync();
        await resting.AssignAsync(area);
        await resting.StateAsync(AssetState.Resting, Now);
        await free.StateAsync(AssetState.Working, Now);

        await fixture.AdvanceAsync(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(10));

        Assert.Empty(await _scene.AlertsAsync(AlertKinds.Stale, resting.Id));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.Stale, free.Id));
    }

    [Fact]
    public async Task Two_assets_working_closer_than_25_metres_raise_one_alert_until_they_are_apart()
    {
        var area = await _scene.AreaAsync(0, 0, 200, 100);
        var a = await _scene.AssetAsync();
        var b = await _scene.AssetAsync();
        await a.AssignAsync(area);
        await b.AssignAsync(area);
        var t0 = Now.AddMinutes(-5);
        await a.StateAsync(AssetState.Working, t0);
        await b.StateAsync(AssetState.Working, t0);

        // The area judges separation from the work points the assets hand it after each fix is acknowledged: each step
        // waits until the area has the last point (its searched ground has grown to it).
        await a.FixAsync(10, 50, t0.AddSeconds(1));
        await b.FixAsync(40, 50, t0.AddSeconds(2));
        var searched = (await _scene.AreaViewAsync(area, v => v.SearchedM2 > 0)).SearchedM2;
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.Proximity, a.Id));

        await b.FixAsync(30, 50, t0.AddSeconds(10));
        await a.FixAsync(12, 50, t0.AddSeconds(11));
        await b.FixAsync(28, 50, t0.AddSeconds(12));
        var close = Assert.Single(await _scene.AlertsAsync(AlertKinds.Proximity, a.Id, l => l.Count > 0));
        Assert.Equal(area, close.HazardArea);
        Assert.Contains(b.Id, close.Id, StringComparison.Ordinal);

        await b.FixAsync(60, 50, t0.AddSeconds(20));
        Assert.NotNull(Assert.Single(await _scene.AlertsAsync(AlertKinds.Proximity, a.Id, l => l.Any(x => x.ClearedAt is not null))).ClearedAt);

        // Close again while one of them rests: no alert (once the area has a's last point, which widens its lane).
        searched = (await _scene.AreaViewAsync(area, v => v.SearchedM2 > searched)).SearchedM2;
        await b.StateAsync(AssetState.Resting, t0.AddSeconds(25));
        await b.FixAsync(15, 50, t0.AddSeconds(26));
        await a.FixAsync(14, 50, t0.AddSeconds(27));
        await _scene.AreaViewAsync(area, v => v.SearchedM2 > searched);
        Assert.Single(await _scene.AlertsAsync(AlertKinds.Proximity, a.Id));
    }

    [Fact]
    public async Task A_dog_working_past_its_work_period_is_raised_and_a_short_rest_does_not_reset_the_period()
    {
        var dog = await _scene.AssetAsync(AssetKind.Dog);
        var t0 = Now.AddHours(-3);
        await dog.StateAsync(AssetState.Working, t0);
        await dog.FixAsync(0, 0, t0.AddMinutes(29));
        Assert.Empty(await _scene.AlertsAsync(AlertKinds.AnimalWorkPeriod, dog.Id));

        await dog.FixAsync(0, 1, t0.AddMinutes(31));
        await dog.FixAsync(0, 2, t0.AddMinutes(32));
        var first = Assert.Single(await _scene.AlertsAsync(AlertKinds.AnimalWorkPeriod, dog.Id));
        Assert.Equal(AlertSeverity.Warning, first.Severity);

        await dog.StateAsync(AssetState.Resting, t0.AddMinutes(33));
        Assert.NotNull(Assert.Single(await _scene.AlertsAsync(AlertKinds.AnimalWorkPeriod, dog.Id)).ClearedAt);

        // Back to work after 7 minutes' rest: still inside the same work period, a new episode at once.
        await dog.StateAsync(AssetState.Working, t0.AddMinutes(40));
        Assert.Equal(2, (await _scene.AlertsAsync(AlertKinds.AnimalWorkPeriod, dog.Id)).Count);

        // A full 30-minute rest starts a fresh period.
        await dog.StateAsync(AssetState.Resting, t0.AddMinutes(41));
        await dog.StateAsync(AssetState.Working, t0.AddMinutes(72));
        await dog.FixAsync(0, 3, t0.AddMinutes(90));
        Assert.Equal(2, (await _scene.AlertsAsync(AlertKinds.AnimalWorkPeriod, dog.Id)).Count);
        Assert.All(await _scene.AlertsAsync(AlertKinds.AnimalWorkPeriod, dog.Id), a => Assert.NotNull(a.ClearedAt));
    }

    [Fact]
    public async Task A_team_is_not_held_to_an_animal_work_period()
    {
        var team = await _scene.AssetAsync();
        var t0 = Now.AddHours(-3);
        await team.StateAsync(AssetState.Working, t0);
        await team.FixAsync(0, 0, t0.AddMinutes(90));

        Assert.Empty(await _scene.AlertsAsync(AlertKinds.AnimalWorkPeriod, team.Id));
    }
}
