using System.IO.Compression;
using System.Numerics;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Operation.Union;

namespace CmacLive.Clearance;

/// <summary>
/// The searched ground of one area as a grid of small square cells (by default 10 cm) in metres of the
/// area's UTM zone, a cell counting as searched when its sample point was covered. Each cell's sample
/// point lies at a fixed pseudo-random place inside the cell, not at its centre: centres form a lattice,
/// and a straight lane along one of its diagonals would be counted several percent too wide or too
/// narrow; jittered samples make every direction measure true, the errors of the edge cells cancelling.
/// Only cells whose sample lies inside the area can be set, so the count is the searched area inside it. The grid is sparse: 128 × 128
/// cell tiles exist only where something was searched, and a tile searched in full is kept as a flag, so
/// memory and stored size follow the frontier of the work, not the size of the area or the GPS noise.
/// </summary>
public sealed class SearchGrid
{
    public const int TileCells = 128;
    private const int WordsPerRow = TileCells / 64;
    private const int WordsPerTile = TileCells * WordsPerRow;

    private readonly Geometry _area;
    private readonly IPreparedGeometry _prepared;
    private readonly IndexedPointInAreaLocator _locator;
    private readonly Dictionary<long, Tile> _tiles = [];
    private readonly Dictionary<long, ulong[]?> _masks = [];

    /// <param name="areaMetres">The area in metres; the grid starts at its envelope's south-west corner.</param>
    public SearchGrid(Geometry areaMetres, double cellM)
    {
        _area = areaMetres;
        _prepared = PreparedGeometryFactory.Prepare(areaMetres);
        _locator = new IndexedPointInAreaLocator(areaMetres);
        CellM = cellM;
        OriginX = Math.Floor(areaMetres.EnvelopeInternal.MinX);
        OriginY = Math.Floor(areaMetres.EnvelopeInternal.MinY);
        Columns = (int)Math.Ceiling((areaMetres.EnvelopeInternal.MaxX - OriginX) / cellM);
        Rows = (int)Math.Ceiling((areaMetres.EnvelopeInternal.MaxY - OriginY) / cellM);
    }

    public double CellM { get; }

    public double OriginX { get; }

    public double OriginY { get; }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>Searched cells.</summary>
    public long Count { get; private set; }

    public double SearchedM2 => Count * CellM * CellM;

    /// <summary>Where cell (<paramref name="col"/>, <paramref name="row"/>) is sampled, in metres.</summary>
    public (double X, double Y) Sample(int col, int row)
    {
        // A fixed hash of the cell (splitmix64) gives two offsets in [0, 1).
        var z = (((ulong)(uint)col << 32) | (uint)row) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (OriginX + ((col + ((z & 0xFFFFFFFF) / 4294967296.0)) * CellM), OriginY + ((row + ((z >> 32) / 4294967296.0)) * CellM));
    }

    /// <summary>
    /// Marks the cells whose sample lies in the capsule from (ax, ay) to (bx, by) of radius
    /// <paramref name="radius"/>; answers how many were new. Row by row: the cells the capsule covers across
    /// the whole row are marked in one run; only the few at its edges are tested one by one.
    /// </summary>
    public long MarkCapsule(double ax, double ay, double bx, double by, double radius)
    {
        var minY = Math.Min(ay, by) - radius;
        var maxY = Math.Max(ay, by) + radius;
        var firstRow = Math.Max(0, (int)Math.Floor((minY - OriginY) / CellM));
        var lastRow = Math.Min(Rows - 1, (int)Math.Floor((maxY - OriginY) / CellM));
        long added = 0;
        for (var row = firstRow; row <= lastRow; row++)
        {
            var y0 = OriginY + (row * CellM);
            var y1 = y0 + CellM;

            // The capsule is convex: across the row its extent is bounded by the spans at the row's ends and
            // at the discs' centres; it covers at least what both end spans share.
            var hull = Capsule.Span(ax, ay, bx, by, radius, Math.Max(y0, minY));
            hull = Widen(hull, Capsule.Span(ax, ay, bx, by, radius, Math.Min(y1, maxY)));
            hull = ay > y0 && ay < y1 ? Widen(hull, Capsule.Span(ax, ay, bx, by, radius, ay)) : hull;
            hull = by > y0 && by < y1 ? Widen(hull, Capsule.Span(ax, ay, bx, by, radius, by)) : hull;
            if (hull is not { } h)
            {
                continue;
            }

            var bottom = Capsule.Span(ax, ay, bx, by, radius, y0);
            var top = Capsule.Span(ax, ay, bx, by, radius, y1);
            var coreFirst = int.MaxValue;
            var coreLast = int.MinValue;
            if (bottom is { } b && top is { } t)
            {
                coreFirst = (int)Math.Ceiling((Math.Max(b.Lo, t.Lo) - OriginX) / CellM);
                coreLast = (int)Math.Floor((Math.Min(b.Hi, t.Hi) - OriginX) / CellM) - 1;
            }

            var first = Math.Max(0, (int)Math.Floor((h.Lo - OriginX) / CellM));
            var last = Math.Min(Columns - 1, (int)Math.Floor((h.Hi - OriginX) / CellM));
            for (var col = first; col <= last; col++)
            {
                if (col >= coreFirst && col <= coreLast)
                {
                    added += MarkRun(row, col, Math.Min(coreLast, last));
                    col = Math.Min(coreLast, last);
                    continue;
                }

                var (sx, sy) = Sample(col, row);
                if (Capsule.Contains(ax, ay, bx, by, radius, sx, sy))
                {
                    added += MarkRun(row, col, col);
                }
            }
        }

        return added;
    }

    private static (double Lo, double Hi)? Widen((double Lo, double Hi)? a, (double Lo, double Hi)? b) =>
        a is null ? b : b is null ? a : (Math.Min(a.Value.Lo, b.Value.Lo), Math.Max(a.Value.Hi, b.Value.Hi));

    /// <summary>Marks columns <paramref name="first"/>..<paramref name="last"/> of a row (where their samples lie inside the area).</summary>
    private long MarkRun(int row, int first, int last)
    {
        long added = 0;
        for (var col = first; col <= last;)
        {
            var tileX = col / TileCells;
            var end = Math.Min(last, ((tileX + 1) * TileCells) - 1);
            added += MarkInTile(tileX, row / TileCells, row % TileCells, col % TileCells, end % TileCells);
            col = end + 1;
        }

        Count += added;
        return added;
    }

    /// <summary>Marks every cell whose sample lies inside <paramref name="metres"/> (used for ground counted before, such as a previous outline's).</summary>
    public void MarkInside(Geometry metres)
    {
        var locator = new IndexedPointInAreaLocator(metres);
        var env = metres.EnvelopeInternal;
        var rowFrom = Math.Max(0, (int)Math.Floor((env.MinY - OriginY) / CellM));
        var rowTo = Math.Min(Rows - 1, (int)Math.Ceiling((env.MaxY - OriginY) / CellM));
        var colFrom = Math.Max(0, (int)Math.Floor((env.MinX - OriginX) / CellM));
        var colTo = Math.Min(Columns - 1, (int)Math.Ceiling((env.MaxX - OriginX) / CellM));
        for (var row = rowFrom; row <= rowTo; row++)
        {
            for (var col = colFrom; col <= colTo; col++)
            {
                var (x, y) = Sample(col, row);
                if (locator.Locate(new Coordinate(x, y)) != Location.Exterior)
                {
                    MarkRun(row, col, col);
                }
            }
        }
    }

    /// <summary>
    /// The searched ground as polygons in metres, exactly the searched cells: runs of cells along a row
    /// become rectangles, a run repeated on the rows above extends its rectangle, a tile searched in full
    /// is one square, and the rectangles are unioned.
    /// </summary>
    public Geometry ToPolygons(GeometryFactory factory)
    {
        var rectangles = new List<Geometry>();
        var open = new Dictionary<(int From, int To), int>();
        var next = new Dictionary<(int From, int To), int>();
        foreach (var (key, tile) in _tiles)
        {
            var (tileX, tileY) = Unpack(key);
            var x0 = OriginX + (tileX * TileCells * CellM);
            var y0 = OriginY + (tileY * TileCells * CellM);
            var mask = Mask(key, tileX, tileY, out _);
            if (tile.Full && mask is null)
            {
                rectangles.Add(factory.ToGeometry(new Envelope(x0, x0 + (TileCells * CellM), y0, y0 + (TileCells * CellM))));
                continue;
            }

            open.Clear();
            for (var r = 0; r <= TileCells; r++)
            {
                next.Clear();
                for (var c = 0; r < TileCells && c < TileCells; c++)
                {
                    if (!tile.Get(r, c, mask))
                    {
                        continue;
                    }

                    var end = c;
                    while (end + 1 < TileCells && tile.Get(r, end + 1, mask))
                    {
                        end++;
                    }

                    next[(c, end)] = open.Remove((c, end), out var since) ? since : r;
                    c = end;
                }

                // Runs that did not go on to this row close their rectangle.
                foreach (var ((from, to), since) in open)
                {
                    rectangles.Add(factory.ToGeometry(new Envelope(
                        x0 + (from * CellM), x0 + ((to + 1) * CellM), y0 + (since * CellM), y0 + (r * CellM))));
                }

                (open, next) = (next, open);
            }
        }

        return rectangles.Count == 0 ? factory.CreatePolygon() : UnaryUnionOp.Union(rectangles);
    }

    /// <summary>The grid's cells, compressed: per tile its key and either "full" or its bits.</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(zip))
        {
            writer.Write(_tiles.Count);
            foreach (var (key, tile) in _tiles)
            {
                writer.Write(key);
                writer.Write(tile.Full);
                if (!tile.Full)
                {
                    foreach (var word in tile.Bits!)
                    {
                        writer.Write(word);
                    }
                }
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Restores cells written by <see cref="Serialize"/> for a grid of the same origin and cell size.</summary>
    public void Restore(byte[] data)
    {
        using var zip = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new BinaryReader(zip);
        var count = reader.ReadInt32();
        for (var t = 0; t < count; t++)
        {
            var key = reader.ReadInt64();
            var tile = new Tile();
            if (reader.ReadBoolean())
            {
                var (tileX, tileY) = Unpack(key);
                tile.Count = Capacity(Mask(key, tileX, tileY, out _));
                tile.MakeFull();
            }
            else
            {
                tile.Bits = new ulong[WordsPerTile];
                for (var w = 0; w < WordsPerTile; w++)
                {
                    tile.Bits[w] = reader.ReadUInt64();
                }

                tile.Count = tile.Bits.Sum(b => BitOperations.PopCount(b));
            }

            _tiles[key] = tile;
            Count += tile.Count;
        }
    }

    private long MarkInTile(int tileX, int tileY, int row, int from, int to)
    {
        var key = Pack(tileX, tileY);
        var mask = Mask(key, tileX, tileY, out var outside);
        if (outside)
        {
            return 0;
        }

        if (!_tiles.TryGetValue(key, out var tile))
        {
            tile = new Tile { Bits = new ulong[WordsPerTile] };
            _tiles[key] = tile;
        }

        if (tile.Full)
        {
            return 0;
        }

        long added = 0;
        for (var word = from / 64; word <= to / 64; word++)
        {
            var lo = Math.Max(from, word * 64) - (word * 64);
            var hi = Math.Min(to, (word * 64) + 63) - (word * 64);
            var span = hi - lo == 63 ? ulong.MaxValue : ((1UL << (hi - lo + 1)) - 1) << lo;
            var index = (row * WordsPerRow) + word;
            if (mask is not null)
            {
                span &= mask[index];
            }

            var fresh = span & ~tile.Bits![index];
            tile.Bits[index] |= fresh;
            added += BitOperations.PopCount(fresh);
        }

        tile.Count += (int)added;
        if (added > 0 && tile.Count == Capacity(mask))
        {
            tile.MakeFull();
        }

        return added;
    }

    /// <summary>Which cells of a tile lie inside the area: null when all do; <paramref name="outside"/> when none do.</summary>
    private ulong[]? Mask(long key, int tileX, int tileY, out bool outside)
    {
        if (_masks.TryGetValue(key, out var known))
        {
            outside = known is { Length: 0 };
            return known is { Length: 0 } ? null : known;
        }

        var x0 = OriginX + (tileX * TileCells * CellM);
        var y0 = OriginY + (tileY * TileCells * CellM);
        var rectangle = _area.Factory.ToGeometry(new Envelope(x0, x0 + (TileCells * CellM), y0, y0 + (TileCells * CellM)));
        ulong[]? mask;
        if (_prepared.Contains(rectangle))
        {
            mask = null;
        }
        else if (!_prepared.Intersects(rectangle))
        {
            mask = [];
        }
        else
        {
            mask = new ulong[WordsPerTile];
            for (var r = 0; r < TileCells; r++)
            {
                for (var c = 0; c < TileCells; c++)
                {
                    var (x, y) = Sample((tileX * TileCells) + c, (tileY * TileCells) + r);
                    if (_locator.Locate(new Coordinate(x, y)) != Location.Exterior)
                    {
                        mask[(r * WordsPerRow) + (c / 64)] |= 1UL << (c % 64);
                    }
                }
            }
        }

        _masks[key] = mask;
        outside = mask is { Length: 0 };
        return outside ? null : mask;
    }

    /// <summary>How many cells of a tile can be searched.</summary>
    private static int Capacity(ulong[]? mask) => mask is null ? TileCells * TileCells : mask.Sum(m => BitOperations.PopCount(m));

    private static long Pack(int x, int y) => ((long)x << 32) | (uint)y;

    private static (int X, int Y) Unpack(long key) => ((int)(key >> 32), (int)(key & 0xFFFFFFFF));

    private sealed class Tile
    {
        public ulong[]? Bits { get; set; }

        public int Count { get; set; }

        public bool Full { get; private set; }

        /// <summary>Every cell of the tile that can be searched is: the bits are no longer needed.</summary>
        public void MakeFull()
        {
            Full = true;
            Bits = null;
        }

        public bool Get(int row, int col, ulong[]? mask)
        {
            var index = (row * WordsPerRow) + (col / 64);
            var bit = 1UL << (col % 64);
            return Full ? mask is null || (mask[index] & bit) != 0 : (Bits![index] & bit) != 0;
        }
    }
}
