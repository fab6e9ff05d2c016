using CmacLive.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Precision;

namespace CmacLive.Clearance;

/// <summary>
/// The ground searched inside one hazard area, built incrementally: each work point adds the path from
/// the asset's previous point (or just its spot), widened by half the working width on each side with
/// round ends (a capsule), in metres of the area's UTM zone. The ground is kept as a <see cref="SearchGrid"/>
/// of small cells, so overlapping passes and assets are never counted twice, a fix costs only the cells
/// under its capsule, and GPS noise never makes the footprint heavier to keep. Not thread-safe: one owner
/// (the area's grain).
/// </summary>
public sealed class SearchedFootprint
{
    /// <summary>Cell size of the grid: fine enough that a 1 m lane is measured to well within 1%.</summary>
    public const double DefaultCellM = 0.1;

    private static readonly GeometryFactory Metres = new(new PrecisionModel(1000));

    private readonly MetricProjection _projection;
    private readonly SearchGrid _grid;
    private readonly ClearanceRules _rules;
    private readonly Dictionary<string, TrailEnd> _ends;
    private long _flushedCount;
    private (long Count, Geometry Drawn)? _drawn;

    public SearchedFootprint(Geometry areaWgs84, ClearanceRules rules, FootprintState? stored = null, double cellM = DefaultCellM)
    {
        _projection = MetricProjection.For(areaWgs84);
        var area = GeometryPrecisionReducer.Reduce(_projection.ToMetres(areaWgs84), Metres.PrecisionModel);
        AreaM2 = area.Area;
        _grid = new SearchGrid(area, cellM);
        _rules = rules;
        _ends = new Dictionary<string, TrailEnd>(stored?.Ends ?? [], StringComparer.Ordinal);
        if (stored?.Cells is { } cells)
        {
            _grid.Restore(cells);
        }

        _flushedCount = _grid.Count;
    }

    /// <summary>The area's own size in square metres (in the same projection as the footprint).</summary>
    public double AreaM2 { get; }

    /// <summary>Searched square metres inside the area.</summary>
    public double SearchedM2 => _grid.SearchedM2;

    public MetricProjection Projection => _projection;

    /// <summary>Adds one work point at once; answers what it contributed.</summary>
    public WorkPointOutcome Add(WorkPoint point)
    {
        var (x, y) = _projection.ToMetres(point.Lat, point.Lon);
        return Add(point, x, y);
    }

    /// <summary>Adds one work point already projected to (<paramref name="x"/>, <paramref name="y"/>) metres of <see cref="Projection"/>.</summary>
    public WorkPointOutcome Add(WorkPoint point, double x, double y)
    {
        if (point.Acc is { } acc && acc > _rules.MaxAccuracyM)
        {
            return WorkPointOutcome.Inaccurate;
        }

        var radius = point.WidthM / 2;
        _ends.TryGetValue(point.AssetId, out var end);
        if (end is not null && point.Ts <= end.Ts)
        {
            // A late point may not be joined to anything: the path it belongs in was drawn without it.
            // Its own spot was still searched.
            return point.Ts == end.Ts ? WorkPointOutcome.Duplicate : Mark(x, y, x, y, radius, WorkPointOutcome.Spot);
        }

        // A point before the end of its period (it arrived after the status that ended it) stays in that period.
        var closedAt = end?.ClosedAt is { } closed && point.Ts < closed ? closed : (DateTimeOffset?)null;
        _ends[point.AssetId] = new TrailEnd { Run = point.Run, Ts = point.Ts, X = x, Y = y, ClosedAt = closedAt };
        return end is not null && end.Run == point.Run && (end.ClosedAt is null || closedAt is not null) && Joinable(end, point.Ts, x, y)
            ? Mark(end.X, end.Y, x, y, radius, WorkPointOutcome.Segment)
            : Mark(x, y, x, y, radius, WorkPointOutcome.Spot);
    }

    /// <summary>
    /// The asset's working period ended at <paramref name="ts"/> (device time): no later point is joined to its path, but
    /// a point of the period itself that arrives afterwards still is, as it would have been had it come first.
    /// </summary>
    public void Close(string assetId, DateTimeOffset ts)
    {
        if (_ends.TryGetValue(assetId, out var end) && end.Ts <= ts && (end.ClosedAt is not { } closed || ts < closed))
        {
            _ends[assetId] = end with { ClosedAt = ts };
        }
    }

    /// <summary>Counts ground searched before (in WGS84), such as the footprint of the area's previous outline.</summary>
    public void AddSearched(Geometry wgs84) => _grid.MarkInside(_projection.ToMetres(wgs84));

    /// <summary>Forgets where an asset's path ended (it left the area): its next point starts a new path.</summary>
    public void Break(string assetId) => _ends.Remove(assetId);

    /// <summary>Where the asset's searched path last ended, if it is joinable.</summary>
    public TrailEnd? EndOf(string assetId) => _ends.GetValueOrDefault(assetId);

    /// <summary>True when the searched area grew since the last call.</summary>
    public bool Flush()
    {
        var grew = _grid.Count > _flushedCount;
        _flushedCount = _grid.Count;
        return grew;
    }

    /// <summary>The searched ground in WGS84, cell for cell. Drawn again only when it grew.</summary>
    public Geometry SearchedWgs84()
    {
        if (_drawn is not { } drawn || drawn.Count != _grid.Count)
        {
            drawn = (_grid.Count, _projection.ToWgs84(_grid.ToPolygons(Metres)));
            _drawn = drawn;
        }

        return drawn.Drawn;
    }

    /// <summary>What to store so the footprint survives the grain.</summary>
    public FootprintState Snapshot() => new()
    {
        Cells = _grid.Serialize(),
        Ends = new Dictionary<string, TrailEnd>(_ends, StringComparer.Ordinal),
    };

    private bool Joinable(TrailEnd end, DateTimeOffset ts, double x, double y)
    {
        var seconds = (ts - end.Ts).TotalSeconds;
        if (seconds > _rules.MaxGap.TotalSeconds)
        {
            return false;
        }

        return Math.Sqrt(((x - end.X) * (x - end.X)) + ((y - end.Y) * (y - end.Y))) <= _rules.MaxSpeedMps * seconds;
    }

    /// <summary>Marks the cells under the capsule from (ax, ay) to (bx, by) of the given radius.</summary>
    private WorkPointOutcome Mark(double ax, double ay, double bx, double by, double radius, WorkPointOutcome outcome)
    {
        var maxX = _grid.OriginX + (_grid.Columns * _grid.CellM);
        var maxY = _grid.OriginY + (_grid.Rows * _grid.CellM);
        if (Math.Max(ax, bx) + radius < _grid.OriginX || Math.Min(ax, bx) - radius > maxX
            || Math.Max(ay, by) + radius < _grid.OriginY || Math.Min(ay, by) - radius > maxY)
        {
            return WorkPointOutcome.Outside;
        }

        _grid.MarkCapsule(ax, ay, bx, by, radius);
        return outcome;
    }
}
