namespace CmacLive.Api.Tiles;

/// <summary>The base map keys of the <c>Dashboard</c> configuration section.</summary>
public sealed class BaseMapOptions
{
    public const string Section = "Dashboard";

    /// <summary>An MBTiles file (raster PNG, JPEG or WebP, or vector PBF) served at <c>/tiles/{z}/{x}/{y}</c>; none: no base map.</summary>
    public string? Tiles { get; set; }

    /// <summary>How long a browser may keep a tile before it asks again (then with its ETag, answered 304 when unchanged).</summary>
    public TimeSpan TilesMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The largest tile served, in bytes; a larger one is counted and answered 503, not read into memory.</summary>
    public int TilesMaxBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>An online tile server (<c>Dashboard:TileUrl</c>), used only when no MBTiles file is configured.</summary>
    public string? TileUrl { get; set; }
}
