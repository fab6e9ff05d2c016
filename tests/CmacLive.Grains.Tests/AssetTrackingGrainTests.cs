using CmacLive.Assets;
using CmacLive.Devices;
using CmacLive.Geo;
using CmacLive.HazardAreas;
using CmacLive.Live;
using NetTopologySuite.Geometries;

namespace CmacLive.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class AssetTrackingGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private DateTimeOffset Now => fixture.Time.GetUtcNow();

    private async Task<(string AssetId, IDeviceGrain Device)> NewTrackedAssetAsync(AssetKind kind = AssetKind.Team, string unit = "DU5")
    {
        var tracked = await new FieldScene(fixture).AssetAsync(kind, unit);
        return (tracked.Id, tracked.Device);
    }

    private FixReport Fix(IDeviceGrain device, double lat, double lon, DateTimeOffset ts, int? bat = null) => new()
    {
        DeviceId = device.GetPrimaryKeyString(),
        Ts = ts,
        Lat = lat,
        Lon = lon,
        Acc = 3,
        Bat = bat,
    };

    private Task<AssetStatus?> StatusAsync(string assetId, AssetKind kind = AssetKind.Team) =>
        AssetGrains.Get(Grains, kind, assetId).GetStatus();

    [Theory]
    [InlineData(AssetKind.Team)]
    [InlineData(AssetKind.Machine)]
    [InlineData(AssetKind.Dog)]
    [InlineData(AssetKind.Rat)]
    public async Task A_fix_is_applied_to_the_live_status_of_every_asset_kind(AssetKind kind)
    {
        var (assetId, device) = await NewTrackedAssetAsync(kind);
        var ts = Now.AddSeconds(-1);

        var outcome = await device.ProcessFix(Fix(device, 13.36, 102.98, ts, bat: 90));

        Assert.Equal(ReportOutcome.Applied, outcome);
        var status = await StatusAsync(assetId, kind);
        Assert.NotNull(status);
        Assert.Equal(kind, status.Kind);
        Assert.Equal(13.36, status.Position!.Lat);
        Assert.Equal(ts, status.Position.Ts);
        Assert.Equal(ts, status.LastSeen);
        Assert.Equal(90, status.Battery);
        Assert.True(status.Online);
    }

    [Fact]
    public async Task A_repeated_fix_is_applied_once()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        var fix = Fix(device, 13.36, 102.98, Now);

        Assert.Equal(ReportOutcome.Applied, await device.ProcessFix(fix));
        Assert.Equal(ReportOutcome.Duplicate, await device.ProcessFix(fix));
        Assert.Equal(ReportOutcome.Duplicate, await device.ProcessFix(fix with { Lat = 13.5 }));

        Assert.Equal(13.36, (await StatusAsync(assetId))!.Position!.Lat);
    }

    [Fact]
    public async Task A_late_fix_never_moves_the_live_position_back_in_time()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        var ts = Now;
        await device.ProcessFix(Fix(device, 13.40, 102.90, ts));

        var outcome = await device.ProcessFix(Fix(device, 13.30, 102.80, ts.AddMinutes(-1)));

        Assert.Equal(ReportOutcome.Late, outcome);
        var status = await StatusAsync(assetId);
        Assert.Equal(13.40, status!.Position!.Lat);
        Assert.Equal(ts, status.Position.Ts);
        Assert.Equal(ts, status.LastSeen);
    }

    [Fact]
    public async Task A_late_status_report_does_not_undo_a_newer_state()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        var ts = Now;
        await device.ProcessStatus(new StatusReport { DeviceId = "x", Ts = ts, State = AssetState.Sos });

        Assert.Equal(ReportOutcome.Late, await device.ProcessStatus(new StatusReport { DeviceId = "x", Ts = ts.AddSeconds(-5), State = AssetState.Working }));
        Assert.Equal(AssetState.Sos, (await StatusAsync(assetId))!.State);
    }

    [Fact]
    public async Task An_asset_goes_offline_after_two_minutes_without_a_message()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        await device.ProcessFix(Fix(device, 13.36, 102.98, Now));
        Assert.True((await StatusAsync(assetId))!.Online);

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(100));
        Assert.True((await StatusAsync(assetId))!.Online);

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(40));
        var status = await fixture.EventuallyAsync(() => StatusAsync(assetId), s => s is { Online: false }, "offline");
        Assert.Equal(13.36, status!.Position!.Lat);
        await fixture.PushedAsync(l => l.Any(s => s.Id == assetId && !s.Online));
    }

    [Fact]
    public async Task A_kind_with_a_timeout_of_its_own_stays_online_past_the_default_and_goes_offline_after_its_own()
    {
        var (ratId, rat) = await NewTrackedAssetAsync(AssetKind.Rat);
        var (teamId, team) = await NewTrackedAssetAsync(AssetKind.Team);
        await rat.ProcessFix(Fix(rat, 13.36, 102.98, Now));
        await team.ProcessFix(Fix(team, 13.37, 102.98, Now));

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(140));
        await fixture.EventuallyAsync(() => StatusAsync(teamId), s => s is { Online: false }, "the team offline after the default two minutes");
        Assert.True((await StatusAsync(ratId, AssetKind.Rat))!.Online);

        await fixture.AdvanceAsync(ClusterFixture.RatOfflineTimeout - TimeSpan.FromSeconds(140) + TimeSpan.FromSeconds(15));
        await fixture.EventuallyAsync(() => StatusAsync(ratId, AssetKind.Rat), s => s is { Online: false }, "the rat offline after its own five minutes");
    }

    [Fact]
    public async Task A_message_keeps_the_asset_online_and_a_new_one_brings_it_back()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        await device.ProcessFix(Fix(device, 13.36, 102.98, Now));
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(90));
        await device.ProcessStatus(new StatusReport { DeviceId = "x", Ts = Now, State = AssetState.Working });
        await fixture.AdvanceAsync(TimeSpan.FromSeconds(90));
        Assert.True((await StatusAsync(assetId))!.Online);

        await fixture.AdvanceAsync(TimeSpan.FromSeconds(45));
        await fixture.EventuallyAsync(() => StatusAsync(assetId), s => s is { Online: false }, "offline");

        await device.ProcessFix(Fix(device, 13.37, 102.98, Now));
        Assert.True((await StatusAsync(assetId))!.Online);
    }

    [Fact]
    public async Task A_lost_connection_takes_the_asset_offline_at_once()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        await device.ProcessFix(Fix(device, 13.36, 102.98, Now));

        await device.ConnectionLost();

        Assert.False((await StatusAsync(assetId))!.Online);
    }

    [Fact]
    public async Task The_feed_pushes_changes_to_the_registered_hub_observers_in_batches()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        await fixture.RenewObserverAsync();
        const int Fixes = 20;
        for (var i = 1; i <= Fixes; i++)
        {
            await device.ProcessFix(Fix(device, 13.36 + (i * 0.001), 102.98, Now.AddSeconds(i - Fixes - 1)));
        }

        // Coalesced: a batch carries only the newest status of each asset, so twenty fixes in quick succession (a few
        // milliseconds each, batches every 50 ms) are far fewer pushes, and the last one pushed is the newest.
        var newest = 13.36 + (Fixes * 0.001);
        var pushed = await fixture.PushedAsync(l => l.Any(s => s.Id == assetId && s.Position?.Lat == newest));
        var ofAsset = pushed.Where(s => s.Id == assetId && s.Position is not null).ToList();
        Assert.InRange(ofAsset.Count, 1, Fixes - 1);
        Assert.Equal(newest, ofAsset[^1].Position!.Lat);
    }

    [Fact]
    public async Task A_hub_that_registers_late_gets_every_update_once_the_feeds_have_refreshed()
    {
        var (assetId, device) = await NewTrackedAssetAsync();
        await fixture.RenewObserverAsync();
        await device.ProcessFix(Fix(device, 13.36, 102.98, Now.AddSeconds(-2)));
        await fixture.PushedAsync(l => l.Any(s => s.Id == assetId && s.Position?.Lat == 13.36)); // the feed has read the list

        var late = new ClusterFixture.Recorder();
        var registry = Grains.GetGrain<IOpsHubRegistryGrain>(0);
        await registry.Register("late-silo", Grains.CreateObjectReference<IOpsObserver>(late));
        try
        {
            fixture.Time.Advance(OpsHubRegistry.ObserverRefresh);
            await fixture.RenewObserverAsync();
            await device.ProcessFix(Fix(device, 13.37, 102.98, Now.AddSeconds(-1)));

            await fixture.PushedAsync(l => l.Any(s => s.Id == assetId && s.Position?.Lat == 13.37));
            await fixture.EventuallyAsync(() => Task.FromResult(late.Assets.ToList()), l => l.Any(s => s.Id == assetId && s.Position?.Lat == 13.37), "pushed to the late hub");
        }
        finally
        {
            await registry.Unregister("late-silo");
        }
    }

    [Fact]
    public async Task A_fix_names_the_hazard_area_it_falls_in()
    {
        var code = $"BS/CHA/TEST/{Guid.NewGuid():N}"[..24];
        await Grains.GetGrain<IHazardAreaGrain>(code).Define(Area(code, 102.70, 12.80, 0.01), "test");
        var (assetId, device) = await NewTrackedAssetAsync(AssetKind.Machine);

        await device.ProcessFix(Fix(device, 12.805, 102.705, Now.AddSeconds(-2)));
        Assert.Equal(code, (await StatusAsync(assetId, AssetKind.Machine))!.HazardArea);

        await device.ProcessFix(Fix(device, 12.815, 102.705, Now.AddSeconds(-1)));
        Assert.Null((await StatusAsync(assetId, AssetKind.Machine))!.HazardArea);
    }

    [Fact]
    public async Task Devices_authenticate_with_their_own_secret_only()
    {
        var (assetId, device) = await NewTrackedAssetAsync();

        Assert.Equal(assetId, (await device.Authenticate("device-secret"))?.Id); // the asset, kept by the connection
        Assert.Equal(assetId, (await device.Authenticate("device-secret"))?.Id);
        Assert.Null(await device.Authenticate("device-secreT"));

        var info = await device.Get();
        await device.Provision(new DeviceProvision
        {
            Asset = new AssetRef { Id = info!.AssetId, Kind = AssetKind.Team },
            Kind = DeviceKind.Tracker,
            SecretHash = DeviceSecret.Hash("rotated-secret"),
        });
        Assert.Null(await device.Authenticate("device-secret"));
        Assert.NotNull(await device.Authenticate("rotated-secret"));
        Assert.Null(await Grains.GetGrain<IDeviceGrain>("never-provisioned").Authenticate("device-secret"));
        Assert.Equal(ReportOutcome.UnknownDevice,
            await Grains.GetGrain<IDeviceGrain>("never-provisioned").ProcessFix(Fix(device, 13, 103, Now)));
    }

    [Fact]
    public async Task An_asset_id_cannot_change_its_kind()
    {
        var (assetId, _) = await NewTrackedAssetAsync(AssetKind.Dog);

        await Assert.ThrowsAsync<AssetKindConflictException>(() =>
            Grains.GetGrain<IAssetRegistrationGrain>(assetId).Register(new AssetProfile { Kind = AssetKind.Rat, Name = "x", Unit = "DU5" }));
        Assert.Equal(AssetKind.Dog, (await Grains.GetGrain<IAssetRegistrationGrain>(assetId).Find())!.Kind);
    }

    [Fact]
    public async Task Moving_an_asset_to_another_unit_moves_it_between_rosters()
    {
        var (assetId, _) = await NewTrackedAssetAsync(unit: "DU1");

        await Grains.GetGrain<IAssetRegistrationGrain>(assetId).Register(new AssetProfile { Kind = AssetKind.Team, Name = "moved", Unit = "DU2" });

        Assert.DoesNotContain(await Grains.GetGrain<IUnitRosterGrain>("DU1").List(), a => a.Id == assetId);
        Assert.Contains(await Grains.GetGrain<IUnitRosterGrain>("DU2").List(), a => a.Id == assetId);
        Assert.Contains("DU2", await Grains.GetGrain<IUnitDirectoryGrain>(0).List());
    }

    private static HazardAreaDefinition Area(string code, double west, double south, double size)
    {
        var ring = new[]
        {
            new Coordinate(west, south), new Coordinate(west + size, south), new Coordinate(west + size, south + size),
            new Coordinate(west, south + size), new Coordinate(west, south),
        };
        var polygon = HazardAreaGeometry.Factory.CreatePolygon(ring);
        return new HazardAreaDefinition
        {
            Code = code,
            Type = HazardAreaType.Cha,
            GeometryWkb = HazardAreaGeometry.ToWkb(polygon),
            AreaM2 = MetricProjection.AreaM2(polygon),
        };
    }
}
