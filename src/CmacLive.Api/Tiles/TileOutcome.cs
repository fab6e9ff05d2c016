using System.Text.Json.Serialization;

namespace CmacLive.Api.Tiles;

/// <summary>How a tile request was answered.</summary>
public enum TileOutcome
{
    /// <summary>200 with the tile.</summary>
    [JsonStringEnumMemberName("served")] Served,

    /// <summary>304: the browser's copy (its ETag) is still the tile.</summary>
    [JsonStringEnumMemberName("not-modified")] NotModified,

    /// <summary>204: the set has no tile there (outside its area or zooms).</summary>
    [JsonStringEnumMemberName("missing")] Missing,

    /// <summary>400: z, x or y not a tile.</summary>
    [JsonStringEnumMemberName("refused")] Refused,

    /// <summary>404: no base map configured, or the configured file could not be opened.</summary>
    [JsonStringEnumMemberName("no-base-map")] NoBaseMap,

    /// <summary>503: the file could not be read, or the tile is larger than <c>Dashboard:TilesMaxBytes</c>.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
}
