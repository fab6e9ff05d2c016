using CmacLive.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Precision;

namespace CmacLive.Clearance;

/// <summary>
/// The ground searched inside one hazard area, built incrementally: each work point adds the path from
/// the asset's previous point (or just its spot), buffered by half the working width, in metres of the
/// area's UTM zone. Added shapes wait in a small pending list; <see cref="Flush"/> unions them once,
/// clips them to the area and merges them into the footprint, so overlapping passes are never counted
/// twice and no fix ever recomputes the history. Not thread-safe: one owner (the area's grain).
/// </summary>
public sealed class SearchedFootprint
{
    /// <summary>Footprints are kept to the centimetre, which keeps overlays robust and vertex counts down.</summary>
    public static readonly PrecisionModel Precision = new(100);

    private const int QuadrantSegments = 8;
    private static readonly GeometryFactory Metres = new(Precision);

    private readonly MetricProjection _projection;
    private readonly Geometry _area;
    private readonly Envelope _areaEnvelope;
    private readonly ClearanceRules _rules;
    private readonly Dictionary<string, TrailEnd> _ends;
    private readonly List<Geometry> _pending = [];
    private Geometry _searched;

    public SearchedFootprint(Geometry areaWgs84, ClearanceRules rules, FootprintState? stored = null)
    {
        _projection = MetricProjection.For(areaWgs84);
        _area = GeometryPrecisionReducer.Reduce(_projection.ToMetres(areaWgs84), Precision);
        _areaEnvelope = _area.EnvelopeInternal;
        _rules = rules;
        _ends = new Dictionary<string, TrailEnd>(stored?.Ends ?? [], StringComparer.Ordinal);
        _searched = stored?.SearchedWkb is { } wkb
            ? new WKBReader(new NetTopologySuite.NtsGeometryServices(Precision)).Read(wkb)
            : Metres.CreatePolygon();
    }

    /// <summary>The area's own size in square metres (in the same projection as the footprint).</summary>
    public double AreaM2 => _area.Area;

    /// <summary>Searched square metres inside the area, as of the last <see cref="Flush"/>.</summary>
    public double SearchedM2 => _searched.Area;

    public int PendingCount => _pending.Count;

    public MetricProjection Projection => _projection;

    /// <summary>Adds one work point; answers what it contributed (nothing is merged until <see cref="Flush"/>).</summary>
    public WorkPointOutcome Add(WorkPoint point)
    {
        if (point.Acc is { } acc && acc > _rules.MaxAccuracyM)
        {
            return WorkPointOutcome.Inaccurate;
        }

        var (x, y) = _projection.ToMetres(point.Lat, point.Lon);
        var here = new Coordinate(x, y);
        var radius = point.WidthM / 2;
        _ends.TryGetValue(point.AssetId, out var end);
        if (end is not null && point.Ts <= end.Ts)
        {
            // A late point may not be joined to anything: the path it belongs in was drawn without it.
            // Its own spot was still searched.
            return point.Ts == end.Ts ? WorkPointOutcome.Duplicate : AddShape(Metres.CreatePoint(here), radius, WorkPointOutcome.Spot);
        }

        _ends[point.AssetId] = new TrailEnd { Run = point.Run, Ts = point.Ts, X = x, Y = y };
        if (end is not null && end.Run == point.Run && Joinable(end, point.Ts, here))
        {
            var path = Metres.CreateLineString([new Coordinate(end.X, end.Y), here]);
            return AddShape(path, radius, WorkPointOutcome.Segment);
        }

        return AddShape(Metres.CreatePoint(here), radius, WorkPointOutcome.Spot);
    }

    /// <summary>Counts ground searched before (in WGS84), such as the footprint of the area's previous outline; clipped to this one.</summary>
    public void AddSearched(Geometry wgs84) => _pending.Add(_projection.ToMetres(wgs84));

    /// <summary>Forgets where an asset's path ended: its next point starts a new path.</summary>
    public void Break(string assetId) => _ends.Remove(assetId);

    /// <summary>Merges the pending shapes into the footprint. True when the searched area grew.</summary>
    public bool Flush()
    {
        if (_pending.Count == 0)
        {
            return false;
        }

        var merged = UnaryUnionNG.Union(Metres.BuildGeometry(_pending), Precision);
        _pending.Clear();
        var inside = OverlayNG.Overlay(merged, _area, SpatialFunction.Intersection, Precision);
        var before = _searched.Area;
        _searched = OverlayNG.Overlay(_searched, inside, SpatialFunction.Union, Precision);
        return _searched.Area - before > 0.005;
    }

    /// <summary>The searched footprint (as of the last flush) in WGS84.</summary>
    public Geometry SearchedWgs84() => _projection.ToWgs84(_searched);

    /// <summary>What to store so the footprint survives the grain (pending shapes are flushed first).</summary>
    public FootprintState Snapshot()
    {
        Flush();
        return new FootprintState
        {
            SearchedWkb = new WKBWriter().Write(_searched),
            Ends = new Dictionary<string, TrailEnd>(_ends, StringComparer.Ordinal),
        };
    }

    private bool Joinable(TrailEnd end, DateTimeOffset ts, Coordinate here)
    {
        var seconds = (ts - end.Ts).TotalSeconds;
        if (seconds > _rules.MaxGap.TotalSeconds)
        {
            return false;
        }

        var distance = Math.Sqrt(((here.X - end.X) * (here.X - end.X)) + ((here.Y - end.Y) * (here.Y - end.Y)));
        return distance <= _rules.MaxSpeedMps * seconds;
    }

    private WorkPointOutcome AddShape(Geometry path, double radius, WorkPointOutcome outcome)
    {
        var reach = new Envelope(path.EnvelopeInternal);
        reach.ExpandBy(radius);
        if (!reach.Intersects(_areaEnvelope))
        {
            return WorkPointOutcome.Outside;
        }

        _pending.Add(path.Buffer(radius, QuadrantSegments));
        return outcome;
    }
}
