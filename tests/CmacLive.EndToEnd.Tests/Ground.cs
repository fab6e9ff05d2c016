using System.Globalization;
using CmacLive.Geo;
using NetTopologySuite.Geometries;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A piece of ground laid out in metres of UTM zone 48N (Cambodia), so expected distances and areas are
/// exact: points are given as metres east and north of the ground's origin.
/// </summary>
public sealed class Ground(double east, double north)
{
    private static readonly MetricProjection Zone48 = new(48, true);

    /// <summary>WGS84 (lat, lon) of the point (x, y) metres from the origin.</summary>
    public (double Lat, double Lon) At(double x, double y)
    {
        var point = Zone48.ToWgs84(new GeometryFactory().CreatePoint(new Coordinate(east + x, north + y)));
        return (point.Coordinate.Y, point.Coordinate.X);
    }

    /// <summary>PUTs a rectangular CHA of <paramref name="code"/> (metres from the origin) as a GeoJSON Feature.</summary>
    public async Task PutAreaAsync(ISiloEndpoint silo, string code, double x, double y, double width, double height, string unit = "DU5")
    {
        (double, double)[] corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y)];
        var ring = corners.Select(c => At(c.Item1, c.Item2)).Select(p => new[] { p.Lon, p.Lat }).ToArray();
        var put = await silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(code)}", new
        {
            type = "Feature",
            properties = new { code, type = "CHA", province = "Pailin", unit, priority = "high" },
            geometry = new { type = "Polygon", coordinates = new[] { ring } },
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, put.StatusCode);
    }

    /// <summary>A device time as ISO-8601 UTC with milliseconds.</summary>
    public static string Ts(DateTimeOffset ts) => ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
