using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Detections;
using CmacLive.HazardAreas;

namespace CmacLive.Grains.Tests;

/// <summary>Detections from the field, decided as finds or clutter, counted per area; a detection in released land is flagged.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DetectionGrainTests(ClusterFixture fixture)
{
    private readonly FieldScene _scene = new(fixture);

    private DateTimeOffset Now => fixture.Time.GetUtcNow();

    private static readonly FindDetails Blu24 = new() { Category = FindCategory.Submunition, Model = "BLU-24/B", DepthCm = 15, Disposal = Disposal.DestroyedInSitu };

    [Fact]
    public async Task A_detection_is_recorded_once_in_its_area_and_a_find_is_counted_by_category()
    {
        var code = await _scene.AreaAsync(0, 0, 100, 100);
        var team = await _scene.AssetAsync();
        var ts = Now.AddMinutes(-5);

        Assert.Equal(ReportOutcome.Applied, await team.DetectAsync(50, 50, ts));
        await team.DetectAsync(50, 50, ts); // the same report again
        await team.DetectAsync(60, 50, ts.AddSeconds(30));
        var id = DetectionIds.For(team.DeviceId, ts);

        var listed = await fixture.Grains.GetGrain<IDetectionIndexGrain>(code).List();
        Assert.Equal(2, listed.Count);
        var detection = listed[0];
        Assert.Equal(id, detection.Id);
        Assert.Equal(DetectionStatus.Open, detection.Status);
        Assert.Equal(code, detection.HazardArea);
        Assert.Equal("DU5", detection.Unit);
        Assert.Equal(2, (await fixture.Grains.GetGrain<IHazardAreaGrain>(code).GetView())!.OpenDetections);

        Assert.Equal(ReportOutcome.Applied, await team.FindAsync(id, ts.AddMinutes(2), Blu24));
        var area = (await fixture.Grains.GetGrain<IHazardAreaGrain>(code).GetView())!;
        Assert.Equal(1, area.Finds);
        Assert.Equal(1, area.FindsByCategory["submunition"]);
        Assert.Equal(1, area.OpenDetections);
        var found = (await fixture.Grains.GetGrain<IDetectionGrain>(id).Get())!;
        Assert.Equal(DetectionStatus.Find, found.Status);
        Assert.Equal("BLU-24/B", found.Find!.Model);
        Assert.StartsWith(team.Id, found.DecidedBy, StringComparison.Ordinal);

        // The same decision again is harmless; a different one is refused.
        Assert.Equal(ReportOutcome.Applied, await team.FindAsync(id, ts.AddMinutes(3), Blu24));
        Assert.Equal(ReportOutcome.Refused, await team.FindAsync(id, ts.AddMinutes(4), null));
        Assert.Equal(ReportOutcome.Refused, await team.FindAsync("no-such-detection", ts.AddMinutes(4), Blu24));
        Assert.Equal(1, (await fixture.Grains.GetGrain<IHazardAreaGrain>(code).GetView())!.Finds);
    }

    [Fact]
    public async Task A_device_decides_only_its_assets_detections_or_those_in_its_task_area()
    {
        var code = await _scene.AreaAsync(0, 0, 100, 100);
        var dog = await _scene.AssetAsync(AssetKind.Dog, "DU3");
        var ts = Now.AddMinutes(-5);
        await dog.DetectAsync(20, 20, ts, DetectionSensor.Dog);
        var id = DetectionIds.For(dog.DeviceId, ts);

        // A team of another unit, with no task there: forbidden, and the detection stays open.
        var stranger = await _scene.AssetAsync(AssetKind.Team, "DU4");
        Assert.Equal(ReportOutcome.Forbidden, await stranger.FindAsync(id, ts.AddMinutes(1), null));
        Assert.Equal(DetectionStatus.Open, (await fixture.Grains.GetGrain<IDetectionGrain>(id).Get())!.Status);

        // The team whose task is that area may.
        var clearing = await _scene.AssetAsync(AssetKind.Team, "DU3");
        await clearing.AssignAsync(code);
        Assert.Equal(ReportOutcome.Applied, await clearing.FindAsync(id, ts.AddMinutes(2), Blu24));
        Assert.Equal(DetectionStatus.Find, (await fixture.Grains.GetGrain<IDetectionGrain>(id).Get())!.Status);

        // Not even the same decision again from the stranger.
        Assert.Equal(ReportOutcome.Forbidden, await stranger.FindAsync(id, ts.AddMinutes(3), Blu24));
    }

    [Fact]
    public async Task Clutter_is_counted_and_leaves_the_open_detections()
    {
        var code = await _scene.AreaAsync(0, 0, 100, 100);
        var dog = await _scene.AssetAsync(AssetKind.Dog);
        var ts = Now.AddMinutes(-5);
        await dog.DetectAsync(10, 10, ts, DetectionSensor.Dog);

        var decided = await fixture.Grains.GetGrain<IDetectionGrain>(DetectionIds.For(dog.DeviceId, ts))
            .Decide(new DetectionDecision { Find = null, By = "team leader", At = Now, Note = "shell casing" });

        Assert.Equal(DetectionStatus.Clutter, decided!.Status);
        var area = (await fixture.Grains.GetGrain<IHazardAreaGrain>(code).GetView())!;
        Assert.Equal(0, area.Finds);
        Assert.Equal(0, area.OpenDetections);
        Assert.Equal(1, area.Clutter);
        Assert.Single(await fixture.Grains.GetGrain<IDetectionIndexGrain>(code).List());
    }

    [Fact]
    public async Task A_detection_inside_a_released_area_raises_a_quality_flag()
    {
        var code = await _scene.AreaAsync(0, 0, 100, 100);
        await fixture.Grains.GetGrain<IHazardAreaGrain>(code).ChangeStatus(new StatusChange
        {
            To = HazardAreaStatus.Released,
            By = "qa",
            Outcome = new LandReleaseOutcome { ClearedM2 = 10_000 },
        });
        var team = await _scene.AssetAsync();
        var ts = Now.AddMinutes(-1);

        await team.DetectAsync(50, 50, ts);
        await team.DetectAsync(150, 50, ts.AddSeconds(5)); // outside: no flag

        var flags = await _scene.AlertsAsync(AlertKinds.DetectionInReleasedArea, team.DeviceId);
        var flag = Assert.Single(flags);
        Assert.Equal(code, flag.HazardArea);
        Assert.Equal(AlertSeverity.Warning, flag.Severity);
        Assert.NotNull(flag.ClearedAt);
        Assert.True(flag.IsOpen);
    }
}
