using CmacLive.Tracking;

namespace CmacLive.Domain.Tests;

public sealed class MovementRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 12, 3, 4, 5, TimeSpan.Zero);
    private static readonly TimeSpan Dwell = TimeSpan.FromSeconds(15);

    private readonly AreaPresence _presence = new();

    private MovementRule Rule() => new(_presence, Dwell);

    private static List<Movement> Feed(MovementRule rule, params (int Second, string? Area)[] fixes) =>
        [.. fixes.SelectMany(f => rule.OnFix(T0.AddSeconds(f.Second), f.Area))];

    [Fact]
    public void Jitter_at_an_edge_within_the_dwell_gives_no_movement()
    {
        var rule = Rule();

        // In, out, in, out... every 2 s for two minutes: never 15 s on one side.
        var fixes = Enumerable.Range(0, 60).Select(i => (i * 2, i % 7 < 4 ? "HA-1" : (string?)null)).ToArray();
        var movements = Feed(rule, fixes);

        Assert.Empty(movements);
        Assert.Null(_presence.Inside);
    }

    [Fact]
    public void A_real_crossing_gives_one_movement_at_the_crossings_start()
    {
        var rule = Rule();

        Assert.Empty(Feed(rule, (0, null), (2, "HA-1"), (4, null), (6, "HA-1"), (10, "HA-1"), (20, "HA-1")));
        var entered = Feed(rule, (21, "HA-1"), (30, "HA-1"));

        Assert.Equal([new Movement(MovementKind.Entered, "HA-1", T0.AddSeconds(6))], entered);
        Assert.Equal("HA-1", _presence.Inside);

        // Jitter out and back in while inside: nothing; then really out.
        Assert.Empty(Feed(rule, (40, null), (44, "HA-1"), (50, null), (52, null)));
        var left = Feed(rule, (60, null), (65, null), (70, null));
        Assert.Equal([new Movement(MovementKind.Left, "HA-1", T0.AddSeconds(50))], left);
        Assert.Null(_presence.Inside);
    }

    [Fact]
    public void The_dwell_counts_from_the_first_fix_of_the_new_side_exactly()
    {
        var rule = Rule();

        Assert.Empty(Feed(rule, (0, "HA-1"), (14, "HA-1")));
        Assert.Equal([new Movement(MovementKind.Entered, "HA-1", T0)], Feed(rule, (15, "HA-1")));
        Assert.Empty(Feed(rule, (16, "HA-1"), (100, "HA-1")));
    }

    [Fact]
    public void Going_from_one_area_straight_into_another_leaves_the_first_then_enters_the_second()
    {
        var rule = Rule();
        Feed(rule, (0, "HA-1"), (20, "HA-1"));

        var movements = Feed(rule, (30, "HA-2"), (35, "HA-1"), (40, "HA-2"), (50, "HA-2"), (55, "HA-2"));

        Assert.Equal(
            [new Movement(MovementKind.Left, "HA-1", T0.AddSeconds(40)), new Movement(MovementKind.Entered, "HA-2", T0.AddSeconds(40))],
            movements);
        Assert.Equal(["left", "entered"], movements.Select(m => m.KindName));
        Assert.Equal("HA-2", _presence.Inside);
    }

    [Fact]
    public void A_late_fix_moves_nothing()
    {
        var rule = Rule();
        Feed(rule, (0, "HA-1"), (20, "HA-1"));

        // Out since 30 s; a late fix from 25 s inside neither resets the crossing nor counts.
        Assert.Empty(Feed(rule, (30, null), (25, "HA-1"), (30, "HA-1")));
        Assert.Equal(T0.AddSeconds(30), _presence.CrossingSince);
        Assert.Equal([new Movement(MovementKind.Left, "HA-1", T0.AddSeconds(30))], Feed(rule, (45, null)));

        // A late fix of long ago, inside again, never enters.
        Assert.Empty(Feed(rule, (1, "HA-1"), (2, "HA-1")));
        Assert.Null(_presence.Inside);
        Assert.Equal(T0.AddSeconds(45), _presence.NewestTs);
    }

    [Fact]
    public void The_state_is_a_few_fields_whatever_the_number_of_fixes()
    {
        var rule = Rule();
        for (var i = 0; i < 10_000; i++)
        {
            rule.OnFix(T0.AddSeconds(i), i % 3 == 0 ? null : "HA-1");
        }

        Assert.Null(_presence.Inside);
        Assert.Equal(T0.AddSeconds(9_999), _presence.NewestTs);
    }
}
