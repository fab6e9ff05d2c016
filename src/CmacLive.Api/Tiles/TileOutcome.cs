namespace CmacLive.Api.Tiles;

/// <summary>How a tile request was answered.</summary>
public enum TileOutcome
{
    /// <summary>200 with the tile.</summary>
    Served,

    /// <summary>304: the browser's copy (its ETag) is still the tile.</summary>
    NotModified,

    /// <summary>204: the set has no tile there (outside its area or zooms).</summary>
    Missing,

    /// <summary>400: z, x or y not a tile.</summary>
    Refused,

    /// <summary>404: no base map configured, or the configured file could not be opened.</summary>
    NoBaseMap,

    /// <summary>503: the file could not be read, or the tile is larger than <c>Dashboard:TilesMaxBytes</c>.</summary>
    Failed,
}
