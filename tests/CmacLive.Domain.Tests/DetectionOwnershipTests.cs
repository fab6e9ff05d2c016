using CmacLive.Assets;
using CmacLive.Detections;

namespace CmacLive.Domain.Tests;

public sealed class DetectionOwnershipTests
{
    private static readonly Detection InLane = new()
    {
        Id = "trk-dog-1-1765000000000",
        AssetId = "DU3-MDD-01",
        DeviceId = "trk-dog-1",
        Unit = "DU3",
        HazardArea = "BB/CHA/CMAA/1",
        Ts = DateTimeOffset.UnixEpoch,
        Lat = 13,
        Lon = 103,
        Sensor = DetectionSensor.Dog,
    };

    [Theory]
    [InlineData("DU3-MDD-01", null, true)] // the asset that reported it
    [InlineData("DU3-MDD-01", "BB/CHA/CMAA/2", true)] // wherever its task now is
    [InlineData("DU3-EOD-01", "BB/CHA/CMAA/1", true)] // a team whose task is the area it lies in
    [InlineData("DU3-EOD-01", "BB/CHA/CMAA/2", false)] // a team working another area
    [InlineData("DU4-EOD-01", null, false)] // a team with no task
    [InlineData("du3-mdd-01", null, false)] // ids are exact
    public void Only_the_reporting_asset_or_an_asset_tasked_in_the_area_may_decide(string assetId, string? taskArea, bool may) =>
        Assert.Equal(may, DetectionOwnership.MayDecide(InLane, assetId, taskArea));

    [Fact]
    public void A_detection_outside_every_area_is_only_its_reporters()
    {
        var outside = InLane with { HazardArea = null };
        Assert.True(DetectionOwnership.MayDecide(outside, "DU3-MDD-01", null));
        Assert.False(DetectionOwnership.MayDecide(outside, "DU3-EOD-01", null));
        Assert.False(DetectionOwnership.MayDecide(outside, "DU3-EOD-01", "BB/CHA/CMAA/1"));
    }
}
