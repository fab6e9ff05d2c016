using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace CmacLive.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class TrackTests(SiloFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));

    [Fact]
    public async Task The_track_holds_every_acknowledged_fix_once_in_time_order_late_ones_included()
    {
        await using var field = await TrackedAsset.StartAsync(Silo, unit: "DU6");
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds());

        Assert.True((await field.Tracker.PublishFixAsync(13.000, 103.000, t0)).IsSuccess);
        Assert.True((await field.Tracker.PublishFixAsync(13.002, 103.002, t0.AddSeconds(20))).IsSuccess);
        Assert.True((await field.Tracker.PublishFixAsync(13.002, 103.002, t0.AddSeconds(20))).IsSuccess); // repeated
        Assert.True((await field.Tracker.PublishFixAsync(13.001, 103.001, t0.AddSeconds(10))).IsSuccess); // late

        // Acknowledged means stored: the track is complete as soon as the PUBACKs are in.
        var track = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/track?from={Iso(t0.AddSeconds(-1))}&to={Iso(t0.AddMinutes(1))}");
        Assert.Equal("Feature", track.GetProperty("type").GetString());
        Assert.Equal("LineString", track.GetProperty("geometry").GetProperty("type").GetString());
        var coordinates = track.GetProperty("geometry").GetProperty("coordinates").EnumerateArray()
            .Select(c => (c[0].GetDouble(), c[1].GetDouble())).ToList();
        Assert.Equal([(103.000, 13.000), (103.001, 13.001), (103.002, 13.002)], coordinates);
        var times = track.GetProperty("properties").GetProperty("times").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Equal([t0, t0.AddSeconds(10), t0.AddSeconds(20)], times.Select(t => DateTimeOffset.Parse(t!)).ToList());
        // As every time on the wire: a whole second without a fraction, anything finer with exactly three digits.
        Assert.All(times, t =>
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$", t);
            Assert.DoesNotMatch(@"\.000Z$", t);
        });

        var gpx = await Silo.Http.GetAsync($"/api/assets/{field.AssetId}/track?from={Iso(t0.AddSeconds(-1))}&to={Iso(t0.AddMinutes(1))}&format=gpx");
        Assert.Equal("application/gpx+xml", gpx.Content.Headers.ContentType?.MediaType);
        var document = XDocument.Parse(await gpx.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.topografix.com/GPX/1/1";
        var points = document.Descendants(ns + "trkpt").ToList();
        Assert.Equal(3, points.Count);
        Assert.Equal("13.001", points[1].Attribute("lat")!.Value);

        var kml = await Silo.Http.GetAsync($"/api/assets/{field.AssetId}/track?from={Iso(t0.AddSeconds(-1))}&to={Iso(t0.AddMinutes(1))}&format=kml");
        Assert.Equal("application/vnd.google-earth.kml+xml", kml.Content.Headers.ContentType?.MediaType);
        XNamespace kmlNs = "http://www.opengis.net/kml/2.2";
        var placemark = XDocument.Parse(await kml.Content.ReadAsStringAsync()).Descendants(kmlNs + "Placemark").Single();
        Assert.Equal("103,13 103.001,13.001 103.002,13.002", placemark.Descendants(kmlNs + "coordinates").Single().Value);
        Assert.Equal(t0, DateTimeOffset.Parse(placemark.Descendants(kmlNs + "begin").Single().Value, CultureInfo.InvariantCulture));
        Assert.Equal(t0.AddSeconds(20), DateTimeOffset.Parse(placemark.Descendants(kmlNs + "end").Single().Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_bad_window_answers_400_naming_the_field_and_an_unknown_asset_404()
    {
        await using var field = await TrackedAsset.StartAsync(Silo);
        var now = DateTimeOffset.UtcNow;
        var cases = new (string Query, string Field)[]
        {
            ($"from={Iso(now)}&to={Iso(now.AddHours(-1))}", "from"),
            ($"from={Iso(now.AddDays(-40))}&to={Iso(now)}", "to"),
            ("from=yesterday", "from"),
            ($"from={Iso(now.AddMinutes(10))}", "from"), // without to, up to 5 min after now
            ($"from={Iso(now.AddDays(-32))}", "from"), // without to, the longest period counts from now
            ("to=12345", "to"),
            ("format=shp", "format"),
        };
        foreach (var (query, name) in cases)
        {
            var response = await Silo.Http.GetAsync($"/api/assets/{field.AssetId}/track?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(name, out _), $"{query}: {problem}");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/assets/no-such-asset/track")).StatusCode);
        var empty = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/track");
        Assert.Equal(0, empty.GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
    }

    [Fact]
    public async Task Without_to_the_track_holds_a_fix_stamped_by_a_device_clock_running_ahead()
    {
        await using var field = await TrackedAsset.StartAsync(Silo, unit: "DU6");
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.True((await field.Tracker.PublishFixAsync(13.000, 103.000, now.AddMinutes(-1))).IsSuccess);
        Assert.True((await field.Tracker.PublishFixAsync(13.001, 103.001, now.AddMinutes(3))).IsSuccess); // accepted: within 5 min ahead

        var track = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/track");
        var times = track.GetProperty("properties").GetProperty("times").EnumerateArray().Select(t => DateTimeOffset.Parse(t.GetString()!)).ToList();
        Assert.Equal([now.AddMinutes(-1), now.AddMinutes(3)], times);
        Assert.True(DateTimeOffset.Parse(track.GetProperty("properties").GetProperty("to").GetString()!) > now.AddMinutes(3));

        // From a time a little ahead of now, still without to: the fix ahead alone.
        var ahead = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/track?from={Iso(now.AddMinutes(2))}");
        Assert.Equal([now.AddMinutes(3)], ahead.GetProperty("properties").GetProperty("times").EnumerateArray().Select(t => DateTimeOffset.Parse(t.GetString()!)));
    }
}
