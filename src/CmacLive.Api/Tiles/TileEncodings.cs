using System.IO.Compression;

namespace CmacLive.Api.Tiles;

/// <summary>Reading and undoing a tile's <see cref="TileEncoding"/>.</summary>
public static class TileEncodings
{
    /// <summary>A vector tile's encoding, from its first bytes: gzip's magic number, or a zlib header (RFC 1950).</summary>
    public static TileEncoding Of(ReadOnlySpan<byte> tile) => tile switch
    {
        [0x1F, 0x8B, ..] => TileEncoding.Gzip,
        [var cmf, var flg, ..] when (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0 => TileEncoding.Deflate,
        _ => TileEncoding.Identity,
    };

    /// <summary>The <c>Content-Encoding</c> token, or null for none.</summary>
    public static string? Token(this TileEncoding encoding) => encoding switch
    {
        TileEncoding.Gzip => "gzip",
        TileEncoding.Deflate => "deflate",
        _ => null,
    };

    /// <summary>The tile inflated, at most <paramref name="maxBytes"/> long (a larger one throws <see cref="InvalidDataException"/>).</summary>
    public static async Task<byte[]> DecodeAsync(this TileEncoding encoding, byte[] tile, int maxBytes, CancellationToken cancellationToken)
    {
        if (encoding == TileEncoding.Identity)
        {
            return tile;
        }

        using var source = new MemoryStream(tile, writable: false);
        await using Stream inflate = encoding == TileEncoding.Gzip
            ? new GZipStream(source, CompressionMode.Decompress)
            : new ZLibStream(source, CompressionMode.Decompress);
        using var result = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await inflate.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (result.Length + read > maxBytes)
            {
                throw new InvalidDataException($"the tile inflates to more than {maxBytes} bytes");
            }

            result.Write(buffer, 0, read);
        }

        return result.ToArray();
    }
}
