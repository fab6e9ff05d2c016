using System.IO.Compression;
using Microsoft.Data.Sqlite;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A small MBTiles file made for a test: a 3 × 3 block of tiles around Samlot (Battambang) at zooms 10 to 14, stored as
/// MBTiles 1.3 stores them (TMS rows, row 0 at the bottom), plus a decoy at each block's unflipped rows so a server that
/// forgot to flip serves the wrong tile rather than none.
/// </summary>
public sealed class TestTileSet
{
    public const double SamlotLat = 12.77;
    public const double SamlotLon = 102.85;
    public const int MinZoom = 10;
    public const int MaxZoom = 14;
    public const string Attribution = "<a href=\"https://www.openstreetmap.org/copyright\">&copy; OpenStreetMap contributors</a>";

    /// <summary>The layer the vector tiles fill and the decoys' layer.</summary>
    public const string WaterLayer = "water";
    public const string DecoyLayer = "decoy";

    private TestTileSet(string path, Dictionary<(int Z, int X, int Row), byte[]> stored, bool vector)
    {
        Path = path;
        Stored = stored;
        Vector = vector;
    }

    public string Path { get; }

    public bool Vector { get; }

    /// <summary>Each tile's bytes as stored, by zoom, column and TMS row.</summary>
    public Dictionary<(int Z, int X, int Row), byte[]> Stored { get; }

    /// <summary>Samlot's tile at that zoom, XYZ numbering (row 0 at the top), as a map asks for it.</summary>
    public static (int X, int Y) Samlot(int z) => TileOf(SamlotLat, SamlotLon, z);

    public static (int X, int Y) TileOf(double lat, double lon, int z)
    {
        var n = 1 << z;
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var phi = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Asinh(Math.Tan(phi)) / Math.PI)) / 2 * n);
        return (x, y);
    }

    public static int TmsRow(int z, int y) => (1 << z) - 1 - y;

    /// <summary>The stored bytes of the tile a map asks for as z/x/y.</summary>
    public byte[] At(int z, int x, int y) => Stored[(z, x, TmsRow(z, y))];

    /// <summary>PNG tiles, each zoom its own shade of green; the decoys red.</summary>
    public static Task<TestTileSet> RasterAsync(string folder) =>
        CreateAsync(System.IO.Path.Combine(folder, "samlot-raster.mbtiles"), "png", vector: false,
            z => TestPng.Solid(170, (byte)(200 + z), 150), () => TestPng.Solid(255, 0, 0));

    /// <summary>
    /// Vector tiles, gzipped as planetiler and tippecanoe store them, one polygon filling each tile in the <c>water</c>
    /// layer; Samlot's own tile at zoom 10 is zlib-deflated instead, as MBTiles 1.3 words it.
    /// </summary>
    public static Task<TestTileSet> VectorAsync(string folder) =>
        CreateAsync(System.IO.Path.Combine(folder, "samlot-vector.mbtiles"), "pbf", vector: true,
            _ => Gzip(TestVectorTile.FullSquare(WaterLayer)), () => Gzip(TestVectorTile.FullSquare(DecoyLayer)));

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    private static async Task<TestTileSet> CreateAsync(string path, string format, bool vector, Func<int, byte[]> tileAt, Func<byte[]> decoy)
    {
        var stored = new Dictionary<(int, int, int), byte[]>();
        for (var z = MinZoom; z <= MaxZoom; z++)
        {
            var (cx, cy) = Samlot(z);
            for (var x = cx - 1; x <= cx + 1; x++)
            {
                for (var y = cy - 1; y <= cy + 1; y++)
                {
                    stored[(z, x, TmsRow(z, y))] = vector && z == MinZoom && x == cx && y == cy
                        ? Deflate(TestVectorTile.FullSquare(WaterLayer))
                        : tileAt(z);
                    stored[(z, x, y)] = decoy(); // the row as the map numbers it: only an unflipped read lands here
                }
            }
        }

        var (west, north) = LatLonOf(MinZoom, Samlot(MinZoom).X - 1, Samlot(MinZoom).Y - 1);
        var (east, south) = LatLonOf(MinZoom, Samlot(MinZoom).X + 2, Samlot(MinZoom).Y + 2);
        var metadata = new Dictionary<string, string>
        {
            ["name"] = $"Samlot test {format}",
            ["format"] = format,
            ["minzoom"] = MinZoom.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["maxzoom"] = MaxZoom.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["bounds"] = FormattableString.Invariant($"{west},{south},{east},{north}"),
            ["center"] = FormattableString.Invariant($"{SamlotLon},{SamlotLat},12"),
            ["attribution"] = Attribution,
            ["type"] = "baselayer",
        };
        if (vector)
        {
            metadata["json"] = """{"vector_layers":[{"id":"water","description":"","fields":{}},{"id":"decoy","description":"","fields":{}}]}""";
        }

        await WriteAsync(path, metadata, stored);
        return new TestTileSet(path, stored, vector);
    }

    /// <summary>An MBTiles file with these metadata rows and tiles (keyed by zoom, column, TMS row).</summary>
    public static async Task WriteAsync(string path, IReadOnlyDictionary<string, string> metadata, IReadOnlyDictionary<(int Z, int X, int Row), byte[]> tiles)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, """
            CREATE TABLE metadata (name text, value text);
            CREATE UNIQUE INDEX name ON metadata (name);
            CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
            CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
            """);
        foreach (var (name, value) in metadata)
        {
            await ExecuteAsync(connection, "INSERT INTO metadata (name, value) VALUES ($name, $value)", ("$name", name), ("$value", value));
        }

        foreach (var ((z, x, row), data) in tiles)
        {
            await ExecuteAsync(connection, "INSERT INTO tiles VALUES ($z, $x, $row, $data)", ("$z", z), ("$x", x), ("$row", row), ("$data", data));
        }

        await transaction.CommitAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The north-west corner of tile x/y (XYZ) at zoom z: (lon, lat).</summary>
    private static (double Lon, double Lat) LatLonOf(int z, int x, int y)
    {
        var n = 1 << z;
        var lat = Math.Atan(Math.Sinh(Math.PI * (1 - (2.0 * y / n)))) * 180 / Math.PI;
        return ((x * 360.0 / n) - 180, lat);
    }
}
