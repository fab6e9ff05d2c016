namespace CmacLive.Api.Tiles;

/// <summary>What the tiles of a set are: its name in TileJSON and the dashboard, the Content-Type they are served with, vector or not.</summary>
public sealed record TileFormat(string Name, string ContentType, bool Vector)
{
    public static readonly TileFormat Png = new("png", "image/png", false);
    public static readonly TileFormat Jpeg = new("jpg", "image/jpeg", false);
    public static readonly TileFormat Webp = new("webp", "image/webp", false);
    public static readonly TileFormat Pbf = new("pbf", "application/vnd.mapbox-vector-tile", true);

    /// <summary>
    /// The metadata's <c>format</c>: MBTiles 1.3 names <c>png</c>, <c>jpg</c>, <c>pbf</c> and <c>mvt</c>; older and other
    /// writers use <c>jpeg</c>, <c>webp</c> or a MIME type. Null when it names none of them.
    /// </summary>
    public static TileFormat? Parse(string? format) => format?.Trim().ToLowerInvariant() switch
    {
        "png" or "image/png" => Png,
        "jpg" or "jpeg" or "image/jpeg" or "image/jpg" => Jpeg,
        "webp" or "image/webp" => Webp,
        "pbf" or "mvt" or "application/vnd.mapbox-vector-tile" or "application/x-protobuf" => Pbf,
        _ => null,
    };

    /// <summary>A set whose metadata names no format: what its first tile's bytes say.</summary>
    public static TileFormat? Sniff(ReadOnlySpan<byte> tile)
    {
        if (tile.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']))
        {
            return Png;
        }

        if (tile.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (tile.Length >= 12 && tile[..4].SequenceEqual("RIFF"u8) && tile[8..12].SequenceEqual("WEBP"u8))
        {
            return Webp;
        }

        // A vector tile is a protobuf message, usually compressed: gzip, zlib, or a layer field (tag 3, length-delimited) first.
        return TileEncodings.Of(tile) != TileEncoding.Identity || tile is [0x1A, ..] ? Pbf : null;
    }
}
