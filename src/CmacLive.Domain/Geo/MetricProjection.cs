using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace CmacLive.Geo;

/// <summary>
/// A WGS84 ↔ UTM projection for one zone (zone 48N for most of Cambodia), so that areas, lengths and
/// buffers are computed in metres, never in degrees. An area keeps the projection of its own centre,
/// so everything measured about it uses one zone. An instance is not thread-safe; give each owner its own.
/// </summary>
public sealed class MetricProjection
{
    private static readonly CoordinateTransformationFactory Transformations = new();

    private readonly MathTransform _forward;
    private readonly MathTransform _inverse;

    public MetricProjection(int zone, bool north)
    {
        Zone = zone;
        North = north;
        var transform = Transformations.CreateFromCoordinateSystems(
            GeographicCoordinateSystem.WGS84, ProjectedCoordinateSystem.WGS84_UTM(zone, north)).MathTransform;
        _forward = transform;
        _inverse = transform.Inverse();
    }

    public int Zone { get; }

    public bool North { get; }

    /// <summary>The projection of the UTM zone holding the centre of <paramref name="wgs84"/>'s envelope.</summary>
    public static MetricProjection For(Geometry wgs84)
    {
        var centre = wgs84.EnvelopeInternal.Centre;
        var (zone, north) = UtmZoneOf(centre.Y, centre.X);
        return new MetricProjection(zone, north);
    }

    /// <summary>The UTM zone (1–60) and hemisphere of a WGS84 point.</summary>
    public static (int Zone, bool North) UtmZoneOf(double lat, double lon)
    {
        var zone = (int)Math.Floor((lon + 180) / 6) + 1;
        return (Math.Clamp(zone, 1, 60), lat >= 0);
    }

    /// <summary>Area in square metres, in the UTM zone of the geometry's centre.</summary>
    public static double AreaM2(Geometry wgs84) => For(wgs84).ToMetres(wgs84).Area;

    /// <summary>Easting and northing in metres of a WGS84 point.</summary>
    public (double X, double Y) ToMetres(double lat, double lon) => _forward.Transform(lon, lat);

    /// <summary>A copy of <paramref name="wgs84"/> (x = lon, y = lat) in metres.</summary>
    public Geometry ToMetres(Geometry wgs84) => Transformed(wgs84, _forward);

    /// <summary>A copy of a geometry in metres back in WGS84 (x = lon, y = lat).</summary>
    public Geometry ToWgs84(Geometry metres)
    {
        var copy = Transformed(metres, _inverse);
        copy.SRID = 4326;
        return copy;
    }

    private static Geometry Transformed(Geometry source, MathTransform transform) => GeometryTransform.Apply(source, transform);
}
