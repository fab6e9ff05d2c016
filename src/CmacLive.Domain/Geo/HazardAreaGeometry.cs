using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using CmacLive.Validation;
using NetTopologySuite.Operation.Valid;

namespace CmacLive.Geo;

/// <summary>Rules for a hazard area's geometry: a valid WGS84 polygon or multipolygon of at most <see cref="InputLimits.Vertices"/> vertices.</summary>
public static class HazardAreaGeometry
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Why the geometry cannot be a hazard area, or null when it can.</summary>
    public static string? Problem(Geometry? geometry)
    {
        if (geometry is null)
        {
            return "a Polygon or MultiPolygon geometry is required";
        }

        if (geometry is not (Polygon or MultiPolygon))
        {
            return $"must be a Polygon or MultiPolygon, not a {geometry.GeometryType}";
        }

        if (geometry.IsEmpty)
        {
            return "the polygon is empty";
        }

        if (geometry.NumPoints > InputLimits.Vertices)
        {
            return $"has {geometry.NumPoints} vertices; a hazard area may have at most {InputLimits.Vertices}";
        }

        foreach (var c in geometry.Coordinates)
        {
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y) || c.X is < -180 or > 180 || c.Y is < -90 or > 90)
            {
                return $"coordinate ({c.X}, {c.Y}) is not WGS84 longitude/latitude";
            }
        }

        var validity = new IsValidOp(geometry).ValidationError;
        return validity is null ? null : $"invalid polygon: {validity.Message} at ({validity.Coordinate.X}, {validity.Coordinate.Y})";
    }

    public static byte[] ToWkb(Geometry geometry) => new WKBWriter().Write(geometry);

    public static Geometry FromWkb(byte[] wkb)
    {
        var geometry = new WKBReader(NetTopologySuite.NtsGeometryServices.Instance).Read(wkb);
        geometry.SRID = 4326;
        return geometry;
    }
}
