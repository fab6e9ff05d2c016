using CmacLive.Assets;
using CmacLive.History;
using CmacLive.Tracking;

namespace CmacLive.Domain.Tests;

/// <summary>Work points rebuilt from history after a crash: the working periods, their runs and their ends, as the live path made them.</summary>
public sealed class WorkReplayTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    private static List<TrackPoint> Fixes(int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(s => new TrackPoint(At(s), 12.8 + (s * 1e-5), 102.6, null, 4))];

    [Fact]
    public void Fixes_in_working_periods_after_the_start_come_back_with_their_runs_and_each_period_ends()
    {
        (DateTimeOffset, AssetState)[] statuses = [(At(0), AssetState.Working), (At(10), AssetState.Resting), (At(20), AssetState.Working), (At(22), AssetState.Working)];

        var samples = WorkReplay.Samples("DU1-T1", AssetKind.Team, At(5), Fixes(1, 25), statuses, currentRun: 7, before: AssetState.Unknown);

        var first = samples.Where(s => s.Working && s.Ts < At(10)).ToList();
        Assert.Equal([.. Enumerable.Range(6, 4).Select(At)], first.Select(s => s.Ts));
        Assert.All(first, s => Assert.Equal(6, s.Run)); // the period before the last working start
        var end = Assert.Single(samples, s => !s.Working);
        Assert.Equal(At(10), end.Ts);
        Assert.Equal(first[^1].Lat, end.Lat); // where it stopped
        var second = samples.Where(s => s.Working && s.Ts >= At(20)).ToList();
        Assert.Equal([.. Enumerable.Range(20, 6).Select(At)], second.Select(s => s.Ts));
        Assert.All(second, s => Assert.Equal(7, s.Run)); // a repeated "working" starts no new period
        Assert.DoesNotContain(samples, s => s.Ts > At(10) && s.Ts < At(20) && s.Working);
    }

    [Fact]
    public void With_no_status_in_the_window_the_state_in_effect_before_decides()
    {
        var working = WorkReplay.Samples("DU1-D1", AssetKind.Dog, At(0), Fixes(1, 3), [], currentRun: 2, before: AssetState.Working);
        Assert.Equal(3, working.Count);
        Assert.All(working, s => Assert.Equal(2, s.Run));

        Assert.Empty(WorkReplay.Samples("DU1-D1", AssetKind.Dog, At(0), Fixes(1, 3), [], currentRun: 2, before: AssetState.Sos));
    }
}
