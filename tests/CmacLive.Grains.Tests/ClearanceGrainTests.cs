using CmacLive.Assets;
using CmacLive.HazardAreas;

namespace CmacLive.Grains.Tests;

/// <summary>Hazard areas as grains: assignment both ways, live searched progress from working fixes, and the land-release lifecycle.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClearanceGrainTests(ClusterFixture fixture)
{
    private readonly FieldScene _scene = new(fixture);

    private DateTimeOffset Now => fixture.Time.GetUtcNow();

    private IHazardAreaGrain Area(string code) => fixture.Grains.GetGrain<IHazardAreaGrain>(code);

    /// <summary>Walks from x0 to x1 along y at 0.5 m/s, a fix a second; answers the time after.</summary>
    private static async Task<DateTimeOffset> WalkAsync(FieldScene.Tracked asset, double x0, double x1, double y, DateTimeOffset t)
    {
        var step = Math.Sign(x1 - x0) * 0.5;
        for (var x = x0; Math.Abs(x - x1) > 1e-9; x += step)
        {
            await asset.FixAsync(x, y, t);
            t = t.AddSeconds(1);
        }

        await asset.FixAsync(x1, y, t);
        return t.AddSeconds(1);
    }

    [Fact]
    public async Task An_assigned_asset_and_its_area_know_each_other_and_a_new_task_leaves_the_old_area()
    {
        var first = await _scene.AreaAsync(0, 0, 100, 100);
        var second = await _scene.AreaAsync(200, 0, 100, 100);
        var team = await _scene.AssetAsync();

        await team.AssignAsync(first);
        Assert.Equal(first, (await team.StatusAsync()).TaskArea);
        Assert.Equal([team.Id], (await Area(first).GetView())!.Assets);

        await team.AssignAsync(second);
        Assert.Equal(second, (await team.StatusAsync()).TaskArea);
        Assert.Empty((await Area(first).GetView())!.Assets);
        Assert.Equal([team.Id], (await Area(second).GetView())!.Assets);

        await team.Grain.ReleaseTask(second);
        Assert.Null((await team.StatusAsync()).TaskArea);
        Assert.Empty((await Area(second).GetView())!.Assets);
    }

    [Fact]
    public async Task A_lane_walked_while_working_is_searched_ground_and_the_progress_is_pushed()
    {
        var lane = await _scene.AreaAsync(0, 0, 100, 10);
        var team = await _scene.AssetAsync();
        await team.AssignAsync(lane);
        var t = Now.AddHours(-1);
        await team.StateAsync(AssetState.Working, t);

        for (var pass = 0; pass < 10; pass++)
        {
            t = pass % 2 == 0 ? await WalkAsync(team, 0, 100, pass + 0.5, t) : await WalkAsync(team, 100, 0, pass + 0.5, t);
        }

        var view = await _scene.AreaViewAsync(lane, v => v.SearchedM2 >= 990);
        Assert.InRange(view.AreaM2, 999.9, 1000.1);
        Assert.InRange(view.SearchedM2, 990, 1000.1);
        Assert.InRange(view.Percent, 99, 100);
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(2));
        await fixture.PushedAreasAsync(l => l.Any(a => a.Code == lane && a.SearchedM2 > 0));

        var searched = (await Area(lane).GetSearched())!;
        Assert.Equal(view.SearchedM2, searched.SearchedM2);
        Assert.NotEmpty(searched.Cells);
    }

    [Fact]
    public async Task Walking_while_resting_travelling_or_unassigned_searches_nothing()
    {
        var area = await _scene.AreaAsync(0, 0, 100, 100);
        var assigned = await _scene.AssetAsync();
        var unassigned = await _scene.AssetAsync();
        await assigned.AssignAsync(area);
        var t = Now.AddHours(-1);
        await assigned.StateAsync(AssetState.Travelling, t);
        await unassigned.StateAsync(AssetState.Working, t);

        t = await WalkAsync(assigned, 0, 50, 50, t.AddSeconds(1));
        await WalkAsync(unassigned, 0, 50, 60, t);

        Assert.Equal(0, (await Area(area).GetView())!.SearchedM2);
    }

    [Fact]
    public async Task A_rest_between_two_working_periods_does_not_join_them()
    {
        var area = await _scene.AreaAsync(-50, -50, 200, 100);
        var team = await _scene.AssetAsync();
        await team.AssignAsync(area);
        var t = Now.AddHours(-1);

        await team.StateAsync(AssetState.Working, t);
        t = await WalkAsync(team, 0, 10, 0, t.AddSeconds(1));
        await team.StateAsync(AssetState.Resting, t);
        await team.FixAsync(50, 0, t.AddSeconds(10));
        await team.StateAsync(AssetState.Working, t.AddSeconds(11));
        await WalkAsync(team, 50, 60, 0, t.AddSeconds(12));

        // Two 10 m lanes of 1 m (plus their round ends), not the 40 m walked between them at rest.
        var searched = (await _scene.AreaViewAsync(area, v => v.SearchedM2 >= 20)).SearchedM2;
        Assert.InRange(searched, 20, 20 + (2 * Math.PI * 0.25) + 0.2);
    }

    [Fact]
    public async Task A_fix_overtaken_by_the_status_that_ended_its_working_period_counts_as_if_it_had_come_first()
    {
        // The same walk twice, in two areas: once as sent, once with its last fix arriving after the SOS that followed it
        // (an urgent uplink goes beside the one in flight, and may be answered first).
        var inOrder = await _scene.AreaAsync(0, 0, 100, 20);
        var overtaken = await _scene.AreaAsync(200, 0, 100, 20);
        var first = await _scene.AssetAsync();
        var second = await _scene.AssetAsync();
        await first.AssignAsync(inOrder);
        await second.AssignAsync(overtaken);
        var start = Now.AddHours(-1);
        await first.StateAsync(AssetState.Working, start);
        await second.StateAsync(AssetState.Working, start);

        var t = await WalkAsync(first, 0, 10, 10, start.AddSeconds(1));
        await first.FixAsync(14, 10, t);
        await first.StateAsync(AssetState.Sos, t.AddSeconds(1));
        await first.FixAsync(30, 10, t.AddSeconds(2));

        t = await WalkAsync(second, 200, 210, 10, start.AddSeconds(1));
        await second.StateAsync(AssetState.Sos, t.AddSeconds(1));
        await second.FixAsync(214, 10, t);
        await second.FixAsync(230, 10, t.AddSeconds(2));

        // One 14 m lane of 1 m with its round ends; nothing walked after the SOS.
        var expected = (await _scene.AreaViewAsync(inOrder, v => v.SearchedM2 >= 14)).SearchedM2;
        Assert.InRange(expected, 14, 14 + (Math.PI * 0.25) + 0.2);
        var searched = (await _scene.AreaViewAsync(overtaken, v => v.SearchedM2 >= expected - 0.05)).SearchedM2;
        Assert.InRange(searched, expected - 0.05, expected + 0.05);
    }

    [Fact]
    public async Task A_suspected_area_goes_through_land_release_in_order_and_every_step_is_audited()
    {
        var code = await _scene.AreaAsync(0, 0, 100, 100, HazardAreaType.Sha);
        var area = Area(code);
        Assert.Equal(HazardAreaStatus.Suspected, (await area.GetView())!.Status);

        await Assert.ThrowsAsync<HazardAreaConflictException>(() => area.ChangeStatus(new StatusChange { To = HazardAreaStatus.InClearance, By = "ops" }));
        await area.ChangeStatus(new StatusChange { To = HazardAreaStatus.Confirmed, By = "survey lead", Note = "TS found AP mines" });
        await area.ChangeStatus(new StatusChange { To = HazardAreaStatus.InClearance, By = "ops" });

        var noOutcome = await Assert.ThrowsAsync<HazardAreaConflictException>(() => area.ChangeStatus(new StatusChange { To = HazardAreaStatus.Released, By = "ops" }));
        Assert.Contains("outcome", noOutcome.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HazardAreaConflictException>(() => area.ChangeStatus(new StatusChange
        {
            To = HazardAreaStatus.Released,
            By = "ops",
            Outcome = new LandReleaseOutcome { ClearedM2 = 20_000 },
        }));

        var released = (await area.ChangeStatus(new StatusChange
        {
            To = HazardAreaStatus.Released,
            By = "qa officer",
            Outcome = new LandReleaseOutcome { ReducedM2 = 4_000, ClearedM2 = 6_000 },
        }))!.View;
        Assert.Equal(HazardAreaStatus.Released, released.Status);
        Assert.Equal(10_000, released.Outcome!.ReleasedM2);
        Assert.Equal(
            [(null, HazardAreaStatus.Suspected, "test"), (HazardAreaStatus.Suspected, HazardAreaStatus.Confirmed, "survey lead"),
             (HazardAreaStatus.Confirmed, HazardAreaStatus.InClearance, "ops"), (HazardAreaStatus.InClearance, HazardAreaStatus.Released, "qa officer")],
            released.Transitions.Select(s => (s.From, s.To, s.By)));
        Assert.All(released.Transitions, s => Assert.True(s.At <= Now));

        await Assert.ThrowsAsync<HazardAreaConflictException>(() => area.ChangeStatus(new StatusChange { To = HazardAreaStatus.InClearance, By = "ops" }));
    }

    [Fact]
    public async Task A_released_area_takes_no_assets_and_its_assets_lose_the_task_once_it_answers_their_next_fix()
    {
        var code = await _scene.AreaAsync(0, 0, 100, 100);
        var team = await _scene.AssetAsync();
        await team.AssignAsync(code);
        var released = await Area(code).ChangeStatus(new StatusChange
        {
            To = HazardAreaStatus.Released,
            By = "qa",
            Outcome = new LandReleaseOutcome { ReducedM2 = 10_000 },
        });
        Assert.Equal([team.Id], released!.LetGo.Select(a => a.Id));
        Assert.Empty(released.View.Assets);
        Assert.Empty((await Area(code).GetView())!.Assets);

        var t = Now.AddMinutes(-1);
        await team.StateAsync(AssetState.Working, t);
        await team.FixAsync(50, 50, t.AddSeconds(1));

        // The area answers the work point after the fix is acknowledged; the asset drops the task on its next tick.
        await fixture.EventuallyAsync(async () =>
        {
            await fixture.AdvanceAsync(TimeSpan.FromSeconds(1));
            return await team.StatusAsync();
        }, s => s.TaskArea is null, "the task dropped");

        var other = await _scene.AssetAsync();
        await Assert.ThrowsAsync<HazardAreaConflictException>(() => other.AssignAsync(code));
        Assert.Null((await other.StatusAsync()).TaskArea);
    }

    [Fact]
    public async Task A_step_on_an_area_never_defined_answers_nothing()
    {
        Assert.Null(await Area("HA-NEVER-DEFINED").ChangeStatus(new StatusChange { To = HazardAreaStatus.Confirmed, By = "ops" }));
    }
}
