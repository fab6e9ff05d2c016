using CmacLive.Clearance;
using CmacLive.Geo;
using NetTopologySuite.Geometries;

namespace CmacLive.Domain.Tests;

/// <summary>
/// The searched footprint against shapes whose area is known exactly: everything is laid out in metres
/// of UTM zone 48N near Samlot (Battambang) and sent as WGS84, as a device would.
/// </summary>
public sealed class SearchedFootprintTests
{
    private const double East = 300_000;
    private const double North = 1_390_000;
    private static readonly MetricProjection Zone48 = new(48, true);
    private static readonly DateTimeOffset Start = new(2026, 5, 12, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A rectangle <paramref name="width"/> × <paramref name="height"/> metres, south-west corner at (x, y) from the origin.</summary>
    private static Geometry Rectangle(double x, double y, double width, double height)
    {
        var metres = new GeometryFactory().CreatePolygon(
        [
            new Coordinate(East + x, North + y), new Coordinate(East + x + width, North + y),
            new Coordinate(East + x + width, North + y + height), new Coordinate(East + x, North + y + height),
            new Coordinate(East + x, North + y),
        ]);
        return Zone48.ToWgs84(metres);
    }

    /// <summary>A work point at (x, y) metres from the origin, <paramref name="second"/> seconds after the start.</summary>
    private static WorkPoint At(string asset, double x, double y, double second, double width = 1, int run = 1, double? acc = 3)
    {
        var wgs84 = Zone48.ToWgs84(new GeometryFactory().CreatePoint(new Coordinate(East + x, North + y)));
        return new WorkPoint(asset, run, Start.AddSeconds(second), wgs84.Coordinate.Y, wgs84.Coordinate.X, acc, width);
    }

    /// <summary>Walks from (x0, y) to (x1, y) at 0.5 m/s, one fix a second, starting at <paramref name="second"/>; answers the time after.</summary>
    private static double Walk(SearchedFootprint footprint, string asset, double x0, double x1, double y, double second, double width = 1)
    {
        var step = Math.Sign(x1 - x0) * 0.5;
        for (var x = x0; Math.Abs(x - x1) > 1e-9; x += step)
        {
            footprint.Add(At(asset, x, y, second++, width));
        }

        footprint.Add(At(asset, x1, y, second++, width));
        return second;
    }

    [Fact]
    public void A_100_by_10_metre_lane_walked_in_ten_passes_at_1_metre_width_is_1000_square_metres_within_1_percent()
    {
        var lane = Rectangle(0, 0, 100, 10);
        var footprint = new SearchedFootprint(lane, new ClearanceRules());
        Assert.InRange(footprint.AreaM2, 999.9, 1000.1);

        // Boustrophedon: along the lane at y = 0.5, back at y = 1.5, and so on.
        var t = 0.0;
        for (var pass = 0; pass < 10; pass++)
        {
            var y = pass + 0.5;
            t = pass % 2 == 0 ? Walk(footprint, "T1", 0, 100, y, t) : Walk(footprint, "T1", 100, 0, y, t);
        }

        footprint.Flush();
        Assert.InRange(footprint.SearchedM2, 990, 1000.1);
    }

    [Fact]
    public void One_pass_along_100_metres_at_1_metre_width_searches_100_square_metres_within_1_percent()
    {
        var field = Rectangle(-50, -50, 200, 100);
        var footprint = new SearchedFootprint(field, new ClearanceRules());

        Walk(footprint, "T1", 0, 100, 0, 0);
        footprint.Flush();

        Assert.InRange(footprint.SearchedM2, 99, 101);
    }

    [Fact]
    public void A_closed_path_joins_a_late_point_of_its_own_period_but_nothing_after_its_end()
    {
        var field = Rectangle(-50, -50, 200, 100);
        var footprint = new SearchedFootprint(field, new ClearanceRules());

        // Walked 0..10 m (fixes up to 20 s), then the period ended at 22 s; its fix of 21 s at 10.5 m comes only after that.
        var t = Walk(footprint, "T1", 0, 10, 0, 0);
        footprint.Close("T1", Start.AddSeconds(22));
        Assert.Equal(WorkPointOutcome.Segment, footprint.Add(At("T1", 10.5, 0, t)));

        // A point after the end, even of the same run (a replay that could not tell the periods apart), starts afresh.
        Assert.Equal(WorkPointOutcome.Spot, footprint.Add(At("T1", 11, 0, 23)));
        footprint.Flush();

        // 10.5 m of 1 m lane and its round ends, and the spot's disc less where it overlaps the disc at 10.5 m (0.5 m apart).
        var lens = (0.5 * Math.Acos(0.5)) - (0.25 * Math.Sqrt(0.75));
        var expected = 10.5 + (Math.PI * 0.25) + (Math.PI * 0.25) - lens;
        Assert.InRange(footprint.SearchedM2, expected - 0.1, expected + 0.1);
    }

    [Fact]
    public void Overlapping_passes_and_two_assets_on_the_same_ground_are_counted_once()
    {
        var field = Rectangle(-50, -50, 200, 100);
        var footprint = new SearchedFootprint(field, new ClearanceRules());

        var t = Walk(footprint, "T1", 0, 100, 0, 0);
        t = Walk(footprint, "T1", 100, 0, 0, t);
        Walk(footprint, "T2", 0, 100, 0.5, 0);
        footprint.Flush();

        // T1 twice over y -0.5..0.5, T2 over y 0..1: the union is 100 m × 1.5 m.
        Assert.InRange(footprint.SearchedM2, 148.5, 151.5);
    }

    [Fact]
    public void Ground_outside_the_area_is_never_counted()
    {
        var lane = Rectangle(0, 0, 100, 10);
        var footprint = new SearchedFootprint(lane, new ClearanceRules());

        // Half of this pass runs outside the area (x from -50 to 50); a pass entirely outside adds nothing.
        var t = Walk(footprint, "T1", -50, 50, 5, 0);
        Walk(footprint, "T1", -50, -10, 5, t + 120);
        Walk(footprint, "T2", 0, 100, -30, 0);
        footprint.Flush();

        Assert.InRange(footprint.SearchedM2, 49.5, 50.5 + 0.4);
    }

    [Fact]
    public void A_machine_at_2_metres_width_searches_twice_the_ground_of_a_deminer()
    {
        var field = Rectangle(-50, -50, 200, 100);
        var footprint = new SearchedFootprint(field, new ClearanceRules());

        Walk(footprint, "M1", 0, 50, 0, 0, width: 2);
        footprint.Flush();

        Assert.InRange(footprint.SearchedM2, 99, 101 + 3.2);
    }

    [Fact]
    public void Fixes_of_different_runs_or_too_far_apart_in_time_or_space_are_not_joined()
    {
        var field = Rectangle(-50, -50, 200, 100);
        var footprint = new SearchedFootprint(field, new ClearanceRules { MaxGap = TimeSpan.FromSeconds(60), MaxSpeedMps = 3 });

        Assert.Equal(WorkPointOutcome.Spot, footprint.Add(At("T1", 0, 0, 0)));
        Assert.Equal(WorkPointOutcome.Segment, footprint.Add(At("T1", 10, 0, 20)));
        Assert.Equal(WorkPointOutcome.Spot, footprint.Add(At("T1", 20, 0, 40, run: 2)));       // rested in between
        Assert.Equal(WorkPointOutcome.Spot, footprint.Add(At("T1", 30, 0, 140, run: 2)));      // 100 s gap
        Assert.Equal(WorkPointOutcome.Spot, footprint.Add(At("T1", 90, 0, 150, run: 2)));      // 60 m in 10 s: a jump
        Assert.Equal(WorkPointOutcome.Inaccurate, footprint.Add(At("T1", 91, 0, 151, run: 2, acc: 35)));
        Assert.Equal(WorkPointOutcome.Outside, footprint.Add(At("T1", 500, 500, 152, run: 3)));
        footprint.Flush();

        // One 10 m segment (10 m² plus its round ends) and four spots of π·0.5² each (the far one excluded).
        var expected = 10 + (Math.PI * 0.25) + (3 * Math.PI * 0.25);
        Assert.InRange(footprint.SearchedM2, expected * 0.98, expected * 1.01);
    }

    [Fact]
    public void A_late_fix_adds_only_its_own_spot_and_a_repeated_fix_adds_nothing()
    {
        var field = Rectangle(-50, -50, 200, 100);
        var footprint = new SearchedFootprint(field, new ClearanceRules());

        footprint.Add(At("T1", 0, 0, 0));
        footprint.Add(At("T1", 10, 0, 20));
        Assert.Equal(WorkPointOutcome.Duplicate, footprint.Add(At("T1", 10, 0, 20)));
        Assert.Equal(WorkPointOutcome.Spot, footprint.Add(At("T1", 5, 20, 10)));
        Assert.Equal(WorkPointOutcome.Segment, footprint.Add(At("T1", 20, 0, 30)));
        footprint.Flush();

        var expected = 20 + (Math.PI * 0.25) + (Math.PI * 0.25);
        Assert.InRange(footprint.SearchedM2, expected * 0.98, expected * 1.01);
    }

    [Fact]
    public void A_stored_footprint_carries_on_where_it_stopped()
    {
        var field = Rectangle(-50, -50, 200, 100);
        var first = new SearchedFootprint(field, new ClearanceRules());
        var t = Walk(first, "T1", 0, 50, 0, 0);
        var stored = first.Snapshot();

        var second = new SearchedFootprint(field, new ClearanceRules(), stored);
        Walk(second, "T1", 50.5, 100, 0, t);
        second.Flush();

        // 100 m × 1 m, the two outer round ends and the overlap of the two inner ones.
        Assert.InRange(second.SearchedM2, 100.5, 101.5);
        var wgs84 = second.SearchedWgs84();
        Assert.Equal(4326, wgs84.SRID);
        Assert.InRange(MetricProjection.AreaM2(wgs84), second.SearchedM2 - 0.1, second.SearchedM2 + 0.1);
    }

    [Fact]
    public void Shapes_that_only_touch_the_area_or_each_other_add_nothing_and_break_nothing()
    {
        var lane = Rectangle(0, 0, 100, 10);
        var footprint = new SearchedFootprint(lane, new ClearanceRules());

        // A spot whose edge only touches the area, and two spots touching each other inside.
        footprint.Add(At("T1", -0.5, 5, 0));
        footprint.Flush();
        footprint.Add(At("T2", 10, 5, 0));
        footprint.Add(At("T3", 11, 5, 0));
        footprint.Flush();
        footprint.Add(At("T4", 50, -0.5, 0));
        footprint.Flush();

        // Two 1 m spots; a lone spot is only some eighty cells, so it is measured within a few percent.
        Assert.InRange(footprint.SearchedM2, 2 * Math.PI * 0.25 * 0.97, 2 * Math.PI * 0.25 * 1.03);
    }

    [Fact]
    public void Ten_deminers_with_gps_noise_lane_after_lane_never_break_the_merge()
    {
        var footprint = new SearchedFootprint(Rectangle(0, 0, 200, 100), new ClearanceRules());
        var random = new Random(42);
        for (var s = 0; s < 2400; s++)
        {
            for (var a = 0; a < 10; a++)
            {
                var travelled = s * 0.1;
                var lane = (int)(travelled / 200);
                var along = travelled % 200;
                var x = lane % 2 == 0 ? along : 200 - along;
                var y = (a * 10) + 0.5 + (lane % 10);
                footprint.Add(At($"T{a}", x + (1.5 * (random.NextDouble() - 0.5)), y + (1.5 * (random.NextDouble() - 0.5)), s));
            }

            footprint.Flush();
        }

        // 2400 s at 0.1 m/s: 240 m of 1 m lanes each; noise of ±0.75 m widens each lane's footprint to about
        // twice its width (which is why fixes carry their accuracy, and inaccurate ones do not count).
        Assert.InRange(footprint.SearchedM2, 10 * 240, 10 * 240 * 2.5);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(26.565, 1)]
    [InlineData(30, 1)]
    [InlineData(45, 1)]
    [InlineData(45, 2)]
    [InlineData(73, 1)]
    [InlineData(90, 1)]
    [InlineData(135, 1.5)]
    public void A_diagonal_pass_is_measured_within_1_percent_of_the_buffered_line(double degrees, double width)
    {
        var field = Rectangle(-150, -150, 300, 300);
        var footprint = new SearchedFootprint(field, new ClearanceRules());
        var (dx, dy) = (Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180));

        // Started off the grid's lattice on purpose: 0.05 m is where cell centres would lie.
        for (var step = 0; step <= 100; step++)
        {
            footprint.Add(At("T1", 0.05 + (step * dx), 0.05 + (step * dy), step, width));
        }

        // A 100 m line buffered by half the width with round ends: 100·w + π(w/2)².
        var expected = (100 * width) + (Math.PI * width * width / 4);
        Assert.InRange(footprint.SearchedM2, expected * 0.99, expected * 1.01);
    }
}
