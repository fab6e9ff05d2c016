using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CmacLive.Api.Tiles;

/// <summary>
/// An MBTiles file (SQLite; MBTiles 1.3) opened read-only: its metadata read once, each tile read on demand through
/// pooled read-only connections (the file is never written or locked for writing). Tables may be views, as the spec
/// allows (OpenMapTiles files deduplicate tiles behind a <c>tiles</c> view).
/// </summary>
public sealed class MbTilesFile
{
    private readonly string _connectionString;

    private MbTilesFile(string path, string connectionString, TileSetInfo info)
    {
        Path = path;
        _connectionString = connectionString;
        Info = info;
    }

    public string Path { get; }

    public TileSetInfo Info { get; }

    /// <summary>Opens the file and reads its metadata; a file that is missing or is no MBTiles throws <see cref="MbTilesException"/>.</summary>
    public static async Task<MbTilesFile> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new MbTilesException($"{full} does not exist");
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ToString();
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var metadata = await ReadMetadataAsync(connection, cancellationToken);
            var info = await DescribeAsync(connection, metadata, cancellationToken);
            return new MbTilesFile(full, connectionString, info);
        }
        catch (SqliteException ex)
        {
            throw new MbTilesException($"{full} is not an MBTiles file: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The tile's size and bytes as stored (a vector tile usually gzipped); size 0 when the set has none there, bytes null
    /// when there is none or it is larger than <paramref name="maxBytes"/> (then it is not read at all).
    /// </summary>
    public async Task<(long Size, byte[]? Data)> ReadAsync(TileAddress tile, int maxBytes, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT length(tile_data), CASE WHEN length(tile_data) <= $max THEN tile_data END
            FROM tiles WHERE zoom_level = $z AND tile_column = $x AND tile_row = $row LIMIT 1
            """;
        command.Parameters.AddWithValue("$max", maxBytes);
        command.Parameters.AddWithValue("$z", tile.Z);
        command.Parameters.AddWithValue("$x", tile.X);
        command.Parameters.AddWithValue("$row", tile.TmsRow);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || await reader.IsDBNullAsync(0, cancellationToken))
        {
            return (0, null);
        }

        var size = reader.GetInt64(0);
        return (size, await reader.IsDBNullAsync(1, cancellationToken) ? null : reader.GetFieldValue<byte[]>(1));
    }

    private static async Task<Dictionary<string, string>> ReadMetadataAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, value FROM metadata";
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!await reader.IsDBNullAsync(0, cancellationToken) && !await reader.IsDBNullAsync(1, cancellationToken))
                {
                    metadata[reader.GetString(0)] = reader.GetString(1);
                }
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            throw new MbTilesException($"{connection.DataSource} is not an MBTiles file: it has no metadata(name, value) table ({ex.Message})", ex);
        }

        return metadata;
    }

    private static async Task<TileSetInfo> DescribeAsync(SqliteConnection connection, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT tile_data FROM tiles LIMIT 1";
        byte[]? first;
        try
        {
            first = await command.ExecuteScalarAsync(cancellationToken) as byte[];
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            throw new MbTilesException(
                $"{connection.DataSource} is not an MBTiles file: it has no tiles(zoom_level, tile_column, tile_row, tile_data) table ({ex.Message})", ex);
        }

        if (first is null)
        {
            throw new MbTilesException($"{connection.DataSource} holds no tiles");
        }

        var named = metadata.GetValueOrDefault("format");
        var format = TileFormat.Parse(named) ?? (named is null ? TileFormat.Sniff(first) : null)
            ?? throw new MbTilesException(named is null
                ? $"{connection.DataSource} names no format in its metadata and its tiles are neither PNG, JPEG, WebP nor vector tiles"
                : $"{connection.DataSource} holds tiles of format '{named}'; a base map may be png, jpg, webp or pbf");

        var (minZoom, maxZoom) = (Zoom(metadata, "minzoom"), Zoom(metadata, "maxzoom"));
        if (minZoom is null || maxZoom is null)
        {
            command.CommandText = "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            minZoom ??= reader.GetInt32(0);
            maxZoom ??= reader.GetInt32(1);
        }

        var bounds = Numbers(metadata.GetValueOrDefault("bounds"), 4) is [var w, var s, var e, var n] && w < e && s < n ? [w, s, e, n] : TileSetInfo.World;
        return new TileSetInfo(
            metadata.GetValueOrDefault("name") ?? System.IO.Path.GetFileNameWithoutExtension(connection.DataSource),
            format,
            minZoom.Value,
            maxZoom.Value,
            bounds,
            Numbers(metadata.GetValueOrDefault("center"), 3),
            metadata.GetValueOrDefault("attribution"),
            metadata.GetValueOrDefault("description"),
            metadata.GetValueOrDefault("version"),
            format.Vector ? VectorLayers(metadata.GetValueOrDefault("json")) : null);
    }

    private static int? Zoom(Dictionary<string, string> metadata, string key) =>
        int.TryParse(metadata.GetValueOrDefault(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var zoom)
        && zoom is >= 0 and <= TileAddress.MaxZoom ? zoom : null;

    /// <summary>Exactly <paramref name="count"/> finite numbers separated by commas, or null.</summary>
    private static double[]? Numbers(string? text, int count)
    {
        var parts = text?.Split(',', StringSplitOptions.TrimEntries);
        if (parts is null || parts.Length != count)
        {
            return null;
        }

        var numbers = new double[count];
        for (var i = 0; i < count; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                return null;
            }
        }

        return numbers;
    }

    /// <summary>The <c>vector_layers</c> of the metadata's <c>json</c> row, when it is readable.</summary>
    private static JsonElement? VectorLayers(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("vector_layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                ? layers.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
