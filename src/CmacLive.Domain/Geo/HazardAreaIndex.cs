using System.Collections.Immutable;
using CmacLive.Tracking;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace CmacLive.Geo;

/// <summary>
/// An immutable spatial index of hazard areas: answers which area contains a point with an STR-tree
/// over envelopes and prepared polygons. Changes build a new index; readers never lock.
/// </summary>
public sealed class HazardAreaIndex : IHazardAreaLocator
{
    public static readonly HazardAreaIndex Empty = new(ImmutableDictionary<string, Geometry>.Empty);

    private readonly STRtree<(string Code, IPreparedGeometry Shape)> _tree = new();

    private HazardAreaIndex(ImmutableDictionary<string, Geometry> areas)
    {
        Areas = areas;
        foreach (var (code, geometry) in areas)
        {
            _tree.Insert(geometry.EnvelopeInternal, (code, PreparedGeometryFactory.Prepare(geometry)));
        }

        _tree.Build();
    }

    public ImmutableDictionary<string, Geometry> Areas { get; }

    public int Count => Areas.Count;

    /// <summary>A new index with these areas added or replaced (a null geometry removes the code).</summary>
    public HazardAreaIndex With(IEnumerable<(string Code, Geometry? Geometry)> changes)
    {
        var builder = Areas.ToBuilder();
        foreach (var (code, geometry) in changes)
        {
            if (geometry is null)
            {
                builder.Remove(code);
            }
            else
            {
                builder[code] = geometry;
            }
        }

        return new HazardAreaIndex(builder.ToImmutable());
    }

    public string? Locate(double lat, double lon)
    {
        if (Areas.IsEmpty)
        {
            return null;
        }

        var point = HazardAreaGeometry.Factory.CreatePoint(new Coordinate(lon, lat));
        string? found = null;
        foreach (var candidate in _tree.Query(point.EnvelopeInternal))
        {
            // Where areas overlap, the answer must not depend on insertion order: take the smallest code.
            if (candidate.Shape.Covers(point) && (found is null || string.CompareOrdinal(candidate.Code, found) < 0))
            {
                found = candidate.Code;
            }
        }

        return found;
    }
}
