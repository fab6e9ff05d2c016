using CmacLive.Clearance;
using CmacLive.HazardAreas;

namespace CmacLive.Domain.Tests;

public sealed class LandReleaseTests
{
    [Theory]
    [InlineData(HazardAreaStatus.Suspected, HazardAreaStatus.Confirmed, true)]
    [InlineData(HazardAreaStatus.Suspected, HazardAreaStatus.Released, true)]
    [InlineData(HazardAreaStatus.Confirmed, HazardAreaStatus.InClearance, true)]
    [InlineData(HazardAreaStatus.Confirmed, HazardAreaStatus.Released, true)]
    [InlineData(HazardAreaStatus.InClearance, HazardAreaStatus.Released, true)]
    [InlineData(HazardAreaStatus.Suspected, HazardAreaStatus.Suspected, false)]
    [InlineData(HazardAreaStatus.Suspected, HazardAreaStatus.InClearance, false)]
    [InlineData(HazardAreaStatus.Confirmed, HazardAreaStatus.Suspected, false)]
    [InlineData(HazardAreaStatus.Confirmed, HazardAreaStatus.Confirmed, false)]
    [InlineData(HazardAreaStatus.InClearance, HazardAreaStatus.Suspected, false)]
    [InlineData(HazardAreaStatus.InClearance, HazardAreaStatus.Confirmed, false)]
    [InlineData(HazardAreaStatus.InClearance, HazardAreaStatus.InClearance, false)]
    [InlineData(HazardAreaStatus.Released, HazardAreaStatus.Suspected, false)]
    [InlineData(HazardAreaStatus.Released, HazardAreaStatus.Confirmed, false)]
    [InlineData(HazardAreaStatus.Released, HazardAreaStatus.InClearance, false)]
    [InlineData(HazardAreaStatus.Released, HazardAreaStatus.Released, false)]
    public void An_area_takes_only_the_imas_steps_forward_and_a_released_area_is_final(HazardAreaStatus from, HazardAreaStatus to, bool allowed) =>
        Assert.Equal(allowed, LandRelease.Allows(from, to));

    [Fact]
    public void Every_pair_of_statuses_is_judged_and_exactly_five_steps_are_allowed()
    {
        var statuses = Enum.GetValues<HazardAreaStatus>();
        var allowed = statuses.SelectMany(f => statuses.Where(t => LandRelease.Allows(f, t)).Select(t => (f, t))).ToList();

        Assert.Equal(4, statuses.Length);
        Assert.Equal(5, allowed.Count);
        Assert.DoesNotContain(allowed, p => p.f == HazardAreaStatus.Released);
    }

    [Theory]
    [InlineData(HazardAreaStatus.Suspected)]
    [InlineData(HazardAreaStatus.Confirmed)]
    [InlineData(HazardAreaStatus.InClearance)]
    public void A_step_short_of_release_needs_no_outcome_and_refuses_one(HazardAreaStatus to)
    {
        Assert.Null(LandRelease.OutcomeProblem(to, null, 1000));
        Assert.Equal("an outcome is given only when the area is released",
            LandRelease.OutcomeProblem(to, new LandReleaseOutcome { ClearedM2 = 10 }, 1000));
    }

    [Fact]
    public void Releasing_without_an_outcome_is_refused() =>
        Assert.Equal("releasing an area needs its outcome: cancelledM2, reducedM2 and/or clearedM2",
            LandRelease.OutcomeProblem(HazardAreaStatus.Released, null, 1000));

    [Theory]
    [InlineData(1000, 0, 0)]
    [InlineData(0, 1000, 0)]
    [InlineData(0, 0, 1000)]
    [InlineData(400, 350, 250)]
    [InlineData(0, 0, 0.5)]
    public void An_outcome_of_any_mix_of_cancelled_reduced_and_cleared_land_within_the_area_fits(double cancelled, double reduced, double cleared) =>
        Assert.Null(LandRelease.OutcomeProblem(HazardAreaStatus.Released,
            new LandReleaseOutcome { CancelledM2 = cancelled, ReducedM2 = reduced, ClearedM2 = cleared }, 1000));

    [Theory]
    [InlineData(-1, 0, 500)]
    [InlineData(0, -0.001, 500)]
    [InlineData(0, 0, -500)]
    [InlineData(double.NaN, 0, 500)]
    [InlineData(0, double.PositiveInfinity, 0)]
    [InlineData(0, 0, double.NegativeInfinity)]
    public void A_negative_or_not_finite_figure_is_refused(double cancelled, double reduced, double cleared) =>
        Assert.Equal("outcome figures must be zero or more square metres", LandRelease.OutcomeProblem(HazardAreaStatus.Released,
            new LandReleaseOutcome { CancelledM2 = cancelled, ReducedM2 = reduced, ClearedM2 = cleared }, 1000));

    [Fact]
    public void An_outcome_that_releases_nothing_is_refused() =>
        Assert.Equal("the outcome releases no land", LandRelease.OutcomeProblem(HazardAreaStatus.Released, new LandReleaseOutcome(), 1000));

    [Fact]
    public void The_released_land_may_exceed_the_area_by_the_tolerance_and_no_more()
    {
        Assert.Equal(0.01, LandRelease.Tolerance);
        Assert.Null(LandRelease.OutcomeProblem(HazardAreaStatus.Released, new LandReleaseOutcome { ClearedM2 = 1010 }, 1000));
        Assert.Null(LandRelease.OutcomeProblem(HazardAreaStatus.Released, new LandReleaseOutcome { CancelledM2 = 500, ClearedM2 = 510 }, 1000));
        Assert.Equal("the outcome releases 1010.5 m², more than the area's 1000 m²",
            LandRelease.OutcomeProblem(HazardAreaStatus.Released, new LandReleaseOutcome { ClearedM2 = 1010.5 }, 1000));
        Assert.Equal("the outcome releases 1500 m², more than the area's 1000 m²",
            LandRelease.OutcomeProblem(HazardAreaStatus.Released, new LandReleaseOutcome { CancelledM2 = 1000, ReducedM2 = 500 }, 1000));
    }

    [Fact]
    public void An_area_of_no_measured_size_cannot_release_any_land() =>
        Assert.Equal("the outcome releases 1 m², more than the area's 0 m²",
            LandRelease.OutcomeProblem(HazardAreaStatus.Released, new LandReleaseOutcome { ClearedM2 = 1 }, 0));
}
