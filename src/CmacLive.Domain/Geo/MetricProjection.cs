using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace CmacLive.Geo;

/// <summary>
/// Projects WGS84 geometries into the UTM zone of their centre (zone 48N for most of Cambodia), so that
/// areas and lengths are computed in metres, never in degrees.
/// </summary>
public static class MetricProjection
{
    private static readonly CoordinateTransformationFactory Transformations = new();

    /// <summary>The UTM zone (1–60) and hemisphere of a WGS84 point.</summary>
    public static (int Zone, bool North) UtmZoneOf(double lat, double lon)
    {
        var zone = (int)Math.Floor((lon + 180) / 6) + 1;
        return (Math.Clamp(zone, 1, 60), lat >= 0);
    }

    /// <summary>A copy of <paramref name="wgs84"/> (x = lon, y = lat) in metres of its centre's UTM zone.</summary>
    public static Geometry ToUtm(Geometry wgs84)
    {
        var centre = wgs84.EnvelopeInternal.Centre;
        var (zone, north) = UtmZoneOf(centre.Y, centre.X);
        var transform = Transformations.CreateFromCoordinateSystems(
            GeographicCoordinateSystem.WGS84, ProjectedCoordinateSystem.WGS84_UTM(zone, north)).MathTransform;
        var copy = wgs84.Copy();
        copy.Apply(new ProjectFilter(transform));
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>Area in square metres.</summary>
    public static double AreaM2(Geometry wgs84) => ToUtm(wgs84).Area;

    private sealed class ProjectFilter(MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
