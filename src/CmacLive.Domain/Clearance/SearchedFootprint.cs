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
        if (point.Acc is { } acc && acc > _rules.MaxAccuracyM)
        {
            return WorkPointOutcome.Inaccurate;
        }

        var (x, y) = _projection.ToMetres(point.Lat, point.Lon);
        var radius = point.WidthM / 2;
        _ends.TryGetValue(point.AssetId, out var end);
        if (end is not null && point.Ts <= end.Ts)
        {
            // A late point may not be joined to anything: the path it belongs in was drawn without it.
            // Its own spot was still searched.
            return point.Ts == end.Ts ? WorkPointOutcome.Duplicate : Mark(x, y, x, y, radius, WorkPointOutcome.Spot);
        }

        _ends[point.AssetId] = new TrailEnd { Run = point.Run, Ts = point.Ts, X = x, Y = y };
        return end is not null && end.Run == point.Run && Joinable(end, point.Ts, x, y)
            ? Mark(end.X, end.Y, x, y, radius, WorkPointOutcome.Segment)
            : Mark(x, y, x, y, radius, WorkPointOutcome.Spot);
    }

    /// <summary>Counts ground searched before (in WGS84), such as the footprint of the area's previous outline.</summary>
    public void AddSearched(Geometry wgs84) => _grid.MarkInside(_projection.ToMetres(wgs84));

    /// <summary>Forgets where an asset's path ended: its next point starts a new path.</summary>
    public void Break(string assetId) => _ends.Remove(assetId);

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

    /// <summary>Marks the cells under the capsule from (ax, ay) to (bx, by) of the given radius, row by row.</summary>
    private WorkPointOutcome Mark(double ax, double ay, double bx, double by, double radius, WorkPointOutcome outcome)
    {
        var minX = Math.Min(ax, bx) - radius;
        var maxX = Math.Max(ax, bx) + radius;
        var minY = Math.Min(ay, by) - radius;
        var maxY = Math.Max(ay, by) + radius;
        var firstRow = Math.Max(0, (int)Math.Ceiling(((minY - _grid.OriginY) / _grid.CellM) - 0.5));
        var lastRow = Math.Min(_grid.Rows - 1, (int)Math.Floor(((maxY - _grid.OriginY) / _grid.CellM) - 0.5));
        var maxCol = _grid.OriginX + (_grid.Columns * _grid.CellM);
        if (firstRow > lastRow || maxX < _grid.OriginX || minX > maxCol)
        {
            return WorkPointOutcome.Outside;
        }

        for (var row = firstRow; row <= lastRow; row++)
        {
            if (Capsule.Span(ax, ay, bx, by, radius, _grid.RowY(row)) is { } span)
            {
                _grid.MarkRow(row, span.Lo, span.Hi);
            }
        }

        return outcome;
    }
}

/// <summary>Where a horizontal line crosses a capsule (a segment widened by a radius, with round ends).</summary>
public static class Capsule
{
    public static (double Lo, double Hi)? Span(double ax, double ay, double bx, double by, double radius, double y)
    {
        var lo = double.PositiveInfinity;
        var hi = double.NegativeInfinity;
        Disc(ax, ay);
        Disc(bx, by);
        var dx = bx - ax;
        var dy = by - ay;
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        if (length > 0)
        {
            // The band between the two discs: a rectangle; intersect the line with its four edges.
            var nx = -dy / length * radius;
            var ny = dx / length * radius;
            (double X, double Y)[] corners = [(ax + nx, ay + ny), (bx + nx, by + ny), (bx - nx, by - ny), (ax - nx, ay - ny)];
            for (var i = 0; i < 4; i++)
            {
                var (px, py) = corners[i];
                var (qx, qy) = corners[(i + 1) % 4];
                if ((py - y) * (qy - y) > 0)
                {
                    continue;
                }

                if (py == qy)
                {
                    Include(px);
                    Include(qx);
                }
                else
                {
                    Include(px + ((y - py) * (qx - px) / (qy - py)));
                }
            }
        }

        return lo <= hi ? (lo, hi) : null;

        void Disc(double cx, double cy)
        {
            var h = y - cy;
            if (Math.Abs(h) <= radius)
            {
                var w = Math.Sqrt((radius * radius) - (h * h));
                Include(cx - w);
                Include(cx + w);
            }
        }

        void Include(double x)
        {
            lo = Math.Min(lo, x);
            hi = Math.Max(hi, x);
        }
    }
}
