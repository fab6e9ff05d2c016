using System.Globalization;
using System.Text;
using System.Xml;
using CmacLive.History;
using CmacLive.Api.Auth;
using CmacLive.Api.Docs;
using CmacLive.Api.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

/// <summary><c>GET /api/assets/{id}/track?from=&amp;to=&amp;format=</c>: an asset's history of fixes.</summary>
public static class TrackApi
{
    /// <summary>The longest window one request may ask for.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    /// <summary>The most fixes one answer carries; a window holding more is refused (narrow it).</summary>
    public const int MaxPoints = 100_000;

    public static RouteGroupBuilder MapTrackApi(this RouteGroupBuilder api)
    {
        api.MapGet("/assets/{id}/track", GetTrack).RequireAuthorization(Policies.Read).WithTags("Assets").WithName("GetTrack")
            .WithSummary("An asset's track").Produces<TrackFeature>(StatusCodes.Status200OK, "application/geo+json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new AnswerFormat("geojson", "application/geo+json", typeof(TrackFeature)), new AnswerFormat("gpx", "application/gpx+xml"),
                new AnswerFormat("kml", KmlDocument.ContentType));
        return api;
    }

    /// <summary>
    /// The fixes in <c>[from, to)</c> (ISO-8601; by default the last hour), oldest first, late fixes in
    /// their place: a GeoJSON Feature whose LineString has one position per fix and whose
    /// <c>properties.times</c> has each fix's time, or GPX 1.1 with <c>format=gpx</c>.
    /// </summary>
    public static async Task<IResult> GetTrack(string id, string? from, string? to, string? format,
        IGrainFactory grains, IHistoryStore history, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = TimeRange.Read(from, to, time.GetUtcNow(), TimeSpan.FromHours(1), MaxWindow, errors);

        if (format is not (null or "geojson" or "gpx" or "kml"))
        {
            errors["format"] = ["must be geojson, gpx or kml"];
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        if (await AssetsApi.FindAsync(grains, id) is null)
        {
            return Problems.NoSuch("asset", id);
        }

        var points = await history.ReadTrackAsync(id, start, end, MaxPoints + 1, cancellationToken);
        if (points.Count > MaxPoints)
        {
            return Problems.Field("from", $"the window holds more than {MaxPoints} fixes; narrow it");
        }

        if (format == "kml")
        {
            return Results.Bytes(KmlDocument.Track(id, points), KmlDocument.ContentType);
        }

        return format == "gpx"
            ? Results.Bytes(Gpx(id, points), "application/gpx+xml")
            : TypedResults.Json(
                new TrackFeature(
                    "Feature",
                    new TrackLine("LineString", points.Select(p => new[] { p.Lon, p.Lat })),
                    new TrackProperties(id, WireTime.Of(start), WireTime.Of(end), points.Select(p => WireTime.Of(p.Ts)))),
                contentType: "application/geo+json");
    }

    /// <summary>A track as a GeoJSON Feature: a LineString of one [longitude, latitude] per fix, oldest first.</summary>
    public sealed record TrackFeature(string Type, TrackLine Geometry, TrackProperties Properties);

    /// <summary>The track's LineString.</summary>
    public sealed record TrackLine(string Type, IEnumerable<double[]> Coordinates);

    /// <summary>The asset, the window asked for, and each fix's time, in the order of the coordinates.</summary>
    public sealed record TrackProperties(string AssetId, string From, string To, IEnumerable<string> Times);

    private static byte[] Gpx(string assetId, IReadOnlyList<TrackPoint> points)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            const string ns = "http://www.topografix.com/GPX/1/1";
            xml.WriteStartElement("gpx", ns);
            xml.WriteAttributeString("version", "1.1");
            xml.WriteAttributeString("creator", "CmacLive");
            xml.WriteStartElement("trk", ns);
            xml.WriteElementString("name", ns, assetId);
            xml.WriteStartElement("trkseg", ns);
            foreach (var point in points)
            {
                xml.WriteStartElement("trkpt", ns);
                xml.WriteAttributeString("lat", point.Lat.ToString("R", CultureInfo.InvariantCulture));
                xml.WriteAttributeString("lon", point.Lon.ToString("R", CultureInfo.InvariantCulture));
                if (point.Alt is { } alt)
                {
                    xml.WriteElementString("ele", ns, alt.ToString("R", CultureInfo.InvariantCulture));
                }

                xml.WriteElementString("time", ns, WireTime.Of(point.Ts));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        return buffer.ToArray();
    }
}
