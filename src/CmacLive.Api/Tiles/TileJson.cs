using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmacLive.Api.Tiles;

/// <summary><c>GET /tiles.json</c>: the base map as a TileJSON 3.0.0 document, for MapLibre, QGIS and other map clients.</summary>
public sealed record TileJson(
    [property: JsonPropertyName("tilejson")] string Version,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonPropertyName("version"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SetVersion,
    [property: JsonPropertyName("attribution"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Attribution,
    [property: JsonPropertyName("scheme")] string Scheme,
    [property: JsonPropertyName("tiles")] string[] Tiles,
    [property: JsonPropertyName("minzoom")] int MinZoom,
    [property: JsonPropertyName("maxzoom")] int MaxZoom,
    [property: JsonPropertyName("bounds")] double[] Bounds,
    [property: JsonPropertyName("center"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[]? Center,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("vector_layers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? VectorLayers)
{
    /// <summary>The document of <paramref name="info"/>, its tiles at <paramref name="tiles"/> (an absolute URL template).</summary>
    public static TileJson Of(TileSetInfo info, string tiles) => new(
        "3.0.0", info.Name, info.Description, info.Version, info.Attribution, "xyz", [tiles], info.MinZoom, info.MaxZoom,
        info.Bounds, info.Center, info.Format.Name, info.VectorLayers);
}
