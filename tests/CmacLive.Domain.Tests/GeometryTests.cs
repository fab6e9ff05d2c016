using CmacLive.Geo;
using NetTopologySuite.Geometries;

namespace CmacLive.Domain.Tests;

public sealed class GeometryTests
{
    private static Polygon Square(double west, double south, double size) => HazardAreaGeometry.Factory.CreatePolygon(
    [
        new Coordinate(west, south), new Coordinate(west + size, south), new Coordinate(west + size, south + size),
        new Coordinate(west, south + size), new Coordinate(west, south),
    ]);

    [Fact]
    public void Cambodia_falls_in_utm_zone_48_north()
    {
        Assert.Equal((48, true), MetricProjection.UtmZoneOf(13.36, 102.98));
        Assert.Equal((47, true), MetricProjection.UtmZoneOf(13.0, 101.5));
    }

    [Fact]
    public void The_area_of_a_square_kilometre_near_samlot_is_a_million_square_metres_within_half_a_percent()
    {
        // 1 km east-west and north-south at 12.55°N, built from the metre lengths of a degree there.
        var lat = 12.55;
        var metresPerDegreeLat = 110_574.0 + (111_694.0 - 110_574.0) * Math.Pow(Math.Sin(lat * Math.PI / 180), 2);
        var metresPerDegreeLon = 111_320.0 * Math.Cos(lat * Math.PI / 180);
        var polygon = HazardAreaGeometry.Factory.CreatePolygon(
        [
            new Coordinate(102.95, lat), new Coordinate(102.95 + 1000 / metresPerDegreeLon, lat),
            new Coordinate(102.95 + 1000 / metresPerDegreeLon, lat + 1000 / metresPerDegreeLat),
            new Coordinate(102.95, lat + 1000 / metresPerDegreeLat), new Coordinate(102.95, lat),
        ]);

        Assert.InRange(MetricProjection.AreaM2(polygon), 995_000, 1_005_000);
    }

    [Fact]
    public void A_valid_polygon_has_no_problem_and_a_bow_tie_does()
    {
        Assert.Null(HazardAreaGeometry.Problem(Square(102.9, 13.3, 0.01)));
        var bowTie = HazardAreaGeometry.Factory.CreatePolygon(
        [
            new Coordinate(102.9, 13.3), new Coordinate(102.91, 13.31), new Coordinate(102.91, 13.3),
            new Coordinate(102.9, 13.31), new Coordinate(102.9, 13.3),
        ]);
        Assert.Contains("Self-intersection", HazardAreaGeometry.Problem(bowTie));
        Assert.Contains("not WGS84", HazardAreaGeometry.Problem(Square(200, 13.3, 0.01)));
        Assert.Contains("Polygon or MultiPolygon", HazardAreaGeometry.Problem(HazardAreaGeometry.Factory.CreatePoint(new Coordinate(1, 1))));
        Assert.NotNull(HazardAreaGeometry.Problem(null));
    }

    [Fact]
    public void The_index_finds_the_area_containing_a_point_and_nothing_outside()
    {
        var index = HazardAreaIndex.Empty.With([("A", Square(102.90, 13.30, 0.01)), ("B", Square(103.00, 13.30, 0.01))]);

        Assert.Equal("A", index.Locate(13.305, 102.905));
        Assert.Equal("B", index.Locate(13.305, 103.005));
        Assert.Null(index.Locate(13.305, 102.95));
        Assert.Equal("A", index.Locate(13.30, 102.90)); // on the boundary counts as inside
    }

    [Fact]
    public void Overlapping_areas_answer_the_same_area_whatever_the_order_and_removal_takes_an_area_out()
    {
        var one = HazardAreaIndex.Empty.With([("Z", Square(102.90, 13.30, 0.02)), ("M", Square(102.905, 13.305, 0.01))]);
        var other = HazardAreaIndex.Empty.With([("M", Square(102.905, 13.305, 0.01)), ("Z", Square(102.90, 13.30, 0.02))]);
        Assert.Equal("M", one.Locate(13.31, 102.91));
        Assert.Equal("M", other.Locate(13.31, 102.91));

        var removed = one.With([("M", null)]);
        Assert.Equal("Z", removed.Locate(13.31, 102.91));
        Assert.Equal(1, removed.Count);
    }

    [Fact]
    public void Geometry_survives_the_wkb_round_trip()
    {
        var square = Square(102.9, 13.3, 0.01);
        var back = HazardAreaGeometry.FromWkb(HazardAreaGeometry.ToWkb(square));
        Assert.True(back.EqualsExact(square));
        Assert.Equal(4326, back.SRID);
    }
}
