using System.Net;
using System.Text.RegularExpressions;

namespace CmacLive.Api.Tiles;

/// <summary>
/// The base map as the dashboard draws it (<c>GET /api/dashboard/config</c>, <c>baseMap</c>): where its tiles are, raster
/// or vector, the zooms it holds, its area (west, south, east, north) and its attribution as plain text (the file's may be
/// HTML; the page shows it as text and follows no link in it).
/// </summary>
public sealed partial record BaseMapView(string Url, string Format, bool Vector, int MinZoom, int MaxZoom, double[] Bounds, string? Attribution)
{
    public const string TileTemplate = "/tiles/{z}/{x}/{y}";

    public static BaseMapView Of(TileSetInfo info) => new(
        TileTemplate, info.Format.Name, info.Format.Vector, info.MinZoom, info.MaxZoom, info.Bounds, PlainText(info.Attribution));

    /// <summary>HTML's tags dropped, its entities decoded, its spaces folded.</summary>
    public static string? PlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        var text = Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ").Trim();
        return text.Length > 0 ? text : null;
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
