using CmacLive.Assets;
using CmacLive.Detections;
using CmacLive.HazardAreas;
using CmacLive.Reports;

namespace CmacLive.Grains.Tests;

/// <summary>The daily figures fill in as the work happens: working hours, searched and released ground, finds.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReportFiguresGrainTests(ClusterFixture fixture)
{
    private static readonly ReportDays Days = new(TimeSpan.FromHours(7));

    private readonly FieldScene _scene = new(fixture);

    private async Task<DayFigures> FiguresAsync(string unit, DateOnly day)
    {
        var all = await UnitFigures.Of(fixture.Grains, unit, day).Get(day, day);
        return all.TryGetValue(day, out var figures) ? figures : new DayFigures();
    }

    [Fact]
    public async Task A_source_saying_its_figures_again_never_counts_twice_and_old_days_fold_into_totals()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var day = new DateOnly(2026, 3, 2);
        var figures = UnitFigures.Of(fixture.Grains, unit, day);
        var find = new DayFigures { Finds = new Dictionary<string, int> { ["uxo"] = 1 } };

        await figures.Set(day, UnitFigures.Searched("KH-1"), new DayFigures { SearchedM2 = 120 });
        await figures.Set(day, UnitFigures.Find("det-1"), find);
        await figures.Set(day, UnitFigures.Find("det-1"), find); // a retry after a lost answer
        await figures.Set(day, UnitFigures.Searched("KH-1"), new DayFigures { SearchedM2 = 150 }); // the area's whole day so far
        await figures.Set(day, UnitFigures.Searched("KH-1"), new DayFigures { SearchedM2 = 150 }); // said again after a crash
        await figures.Set(day, UnitFigures.Searched("KH-2"), new DayFigures { SearchedM2 = 10 });
        await figures.Set(day, UnitFigures.Searched("KH-1"), new DayFigures { SearchedM2 = 130 }); // come back from an older state: takes nothing back

        var sum = await FiguresAsync(unit, day);
        Assert.Equal(160, sum.SearchedM2, 6);
        Assert.Equal(1, sum.Finds["uxo"]);

        // A week on, the day is folded into its total, which stays the same; a late word about it is added.
        await figures.Set(day.AddDays(UnitFiguresGrain.SourcesKeptDays + 1), UnitFigures.Searched("KH-1"), new DayFigures { SearchedM2 = 5 });
        Assert.Equal(160, (await FiguresAsync(unit, day)).SearchedM2, 6);
        await figures.Set(day, UnitFigures.Find("det-2"), find);
        Assert.Equal(2, (await FiguresAsync(unit, day)).Finds["uxo"]);
    }

    [Fact]
    public async Task Working_time_is_credited_to_the_unit_by_kind_and_a_long_silence_only_up_to_its_limit()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var dog = await _scene.AssetAsync(AssetKind.Dog, unit);
        var start = new DateTimeOffset(2026, 5, 12, 1, 0, 0, TimeSpan.Zero); // 08:00 in Cambodia

        await dog.StateAsync(AssetState.Working, start);
        for (var minute = 1; minute <= 30; minute++)
        {
            await dog.FixAsync(0, minute, start.AddMinutes(minute));
        }

        await dog.StateAsync(AssetState.Resting, start.AddMinutes(31));
        await dog.FixAsync(0, 0, start.AddMinutes(50)); // resting: not counted
        await dog.StateAsync(AssetState.Working, start.AddMinutes(61));
        await dog.StateAsync(AssetState.Resting, start.AddMinutes(121)); // an hour of silence: 10 minutes count

        var figures = await FiguresAsync(unit, new DateOnly(2026, 5, 12));
        Assert.Equal((31 + 10) * 60, figures.WorkingSeconds["dog"], 3);
        Assert.False(figures.WorkingSeconds.ContainsKey("team"));
    }

    [Fact]
    public async Task Working_time_of_a_period_still_going_depends_on_the_fixes_not_on_which_ones_an_activation_saw()
    {
        // An asset that starts again from stored state after a crash sees only the fixes after it; the credit must come
        // out the same as for one that saw every fix.
        var start = new DateTimeOffset(2026, 5, 13, 1, 0, 0, TimeSpan.Zero);
        var day = new DateOnly(2026, 5, 13);
        var everyFix = $"U{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var lastFixOnly = $"U{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var steady = await _scene.AssetAsync(AssetKind.Dog, everyFix);
        var restarted = await _scene.AssetAsync(AssetKind.Dog, lastFixOnly);
        await steady.StateAsync(AssetState.Working, start.AddSeconds(2));
        await restarted.StateAsync(AssetState.Working, start.AddSeconds(2));
        for (var second = 3; second <= 40; second++)
        {
            await steady.FixAsync(0, 0, start.AddSeconds(second));
        }

        await restarted.FixAsync(0, 0, start.AddSeconds(40));

        // Credited up to the last whole 15 s of device time (01:00:30), whichever fixes came.
        Assert.Equal(28, (await FiguresAsync(everyFix, day)).WorkingSeconds["dog"], 3);
        Assert.Equal(28, (await FiguresAsync(lastFixOnly, day)).WorkingSeconds["dog"], 3);
    }

    [Fact]
    public async Task Searched_and_released_ground_and_finds_are_credited_to_the_areas_unit()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var code = await _scene.AreaAsync(0, 0, 100, 10, unit: unit);
        var team = await _scene.AssetAsync(AssetKind.Team, unit);
        await team.AssignAsync(code);
        var t = fixture.Time.GetUtcNow().AddHours(-1);
        await team.StateAsync(AssetState.Working, t);
        for (var x = 0; x <= 100; x += 2)
        {
            await team.FixAsync(x, 0.5, t.AddSeconds(x + 1));
        }

        await _scene.AreaViewAsync(code, v => v.SearchedM2 >= 99); // the work points reached the area
        await team.DetectAsync(50, 0.5, t.AddMinutes(5));
        await fixture.Grains.GetGrain<IDetectionGrain>(DetectionIds.For(team.DeviceId, t.AddMinutes(5))).Decide(new DetectionDecision
        {
            Find = new FindDetails { Category = FindCategory.ApMine, Model = "Type 72A", DepthCm = 5, Disposal = Disposal.DestroyedInSitu },
            By = "team leader",
            At = fixture.Time.GetUtcNow(),
        });
        await fixture.Grains.GetGrain<IHazardAreaGrain>(code).ChangeStatus(new StatusChange
        {
            To = HazardAreaStatus.InClearance,
            By = "ops",
        });
        await fixture.Grains.GetGrain<IHazardAreaGrain>(code).ChangeStatus(new StatusChange
        {
            To = HazardAreaStatus.Released,
            By = "qa",
            Outcome = new LandReleaseOutcome { ReducedM2 = 300, ClearedM2 = 700 },
        });

        var figures = await FiguresAsync(unit, Days.DayOf(fixture.Time.GetUtcNow()));
        Assert.InRange(figures.SearchedM2, 99, 101);
        Assert.Equal(1000, figures.ReleasedM2);
        Assert.Equal(700, figures.ClearedM2);
        Assert.Equal(1, figures.Finds["ap-mine"]);
    }

    [Fact]
    public async Task An_area_credits_its_own_figures_and_its_project_lists_it_until_it_names_another()
    {
        var unit = $"U{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var (first, second) = ($"PA-{Guid.NewGuid():N}"[..16], $"PB-{Guid.NewGuid():N}"[..16]);
        var areaA = await _scene.AreaAsync(0, 0, 100, 10, unit: unit, project: first);
        var areaB = await _scene.AreaAsync(0, 50, 100, 10, unit: unit, project: second);
        var projectA = fixture.Grains.GetGrain<IProjectGrain>(first);
        var projectB = fixture.Grains.GetGrain<IProjectGrain>(second);
        Assert.Equal([areaA], await projectA.Areas());
        Assert.Equal([areaB], await projectB.Areas());

        var team = await _scene.AssetAsync(AssetKind.Team, unit);
        await team.AssignAsync(areaA);
        var t = fixture.Time.GetUtcNow().AddHours(-1);
        await team.DetectAsync(50, 5, t);
        await fixture.Grains.GetGrain<IDetectionGrain>(DetectionIds.For(team.DeviceId, t)).Decide(new DetectionDecision
        {
            Find = new FindDetails { Category = FindCategory.Uxo, DepthCm = 5, Disposal = Disposal.Removed },
            By = "team leader",
            At = fixture.Time.GetUtcNow(),
        });
        foreach (var (code, cleared) in new[] { (areaA, 700.0), (areaB, 300.0) })
        {
            var area = fixture.Grains.GetGrain<IHazardAreaGrain>(code);
            await area.ChangeStatus(new StatusChange { To = HazardAreaStatus.InClearance, By = "ops" });
            await area.ChangeStatus(new StatusChange { To = HazardAreaStatus.Released, By = "qa", Outcome = new LandReleaseOutcome { ClearedM2 = cleared } });
        }

        var day = Days.DayOf(fixture.Time.GetUtcNow());
        async Task<DayFigures> AreaFiguresAsync(string code)
        {
            var all = await UnitFigures.OfArea(fixture.Grains, code, day).Get(day, day);
            return all.TryGetValue(day, out var figures) ? figures : new DayFigures();
        }

        var a = await AreaFiguresAsync(areaA);
        Assert.Equal(700, a.ReleasedM2);
        Assert.Equal(1, a.Finds["uxo"]);
        var b = await AreaFiguresAsync(areaB);
        Assert.Equal(300, b.ReleasedM2);
        Assert.Empty(b.Finds);
        Assert.Equal(1000, (await FiguresAsync(unit, day)).ReleasedM2); // the unit's figures count both

        // Area A names the second project, then none: each project lists only the areas naming it now.
        var definition = (await fixture.Grains.GetGrain<IHazardAreaGrain>(areaA).GetDefinition())!;
        await fixture.Grains.GetGrain<IHazardAreaGrain>(areaA).Define(definition with { Project = second }, "test");
        Assert.Empty(await projectA.Areas());
        Assert.Equal(new[] { areaA, areaB }.Order(StringComparer.Ordinal), await projectB.Areas());
        await fixture.Grains.GetGrain<IHazardAreaGrain>(areaA).Define(definition with { Project = null }, "test");
        Assert.Equal([areaB], await projectB.Areas());
        Assert.Equal(700, (await AreaFiguresAsync(areaA)).ReleasedM2); // the area's own figures stay its own
    }
}
