using System.Text.Json;

namespace CmacLive.Api.Tiles;

/// <summary>
/// What an MBTiles file's <c>metadata</c> table says of its tiles (MBTiles 1.3), with what it leaves out filled in:
/// zooms from the tiles themselves, bounds the whole Web Mercator world.
/// </summary>
public sealed record TileSetInfo(
    string Name,
    TileFormat Format,
    int MinZoom,
    int MaxZoom,
    double[] Bounds,
    double[]? Center,
    string? Attribution,
    string? Description,
    string? Version,
    JsonElement? VectorLayers)
{
    /// <summary>West, south, east, north of the whole Web Mercator world.</summary>
    public static readonly double[] World = [-180, -85.0511, 180, 85.0511];
}
