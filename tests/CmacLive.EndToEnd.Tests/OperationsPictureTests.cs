using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CmacLive.Geo;
using NetTopologySuite.Geometries;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The mine-action picture end to end: hazard areas over REST, devices over MQTT, the dashboard over
/// SignalR. Ground is laid out in metres of UTM zone 48N near Pailin, so the expected figures are exact.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class OperationsPictureTests(SiloFixture fixture)
{
    private static int s_plots;

    private readonly Ground _ground = new(230_000 + (3_000 * Interlocked.Increment(ref s_plots)), 1_430_000);

    private TestSilo Silo => fixture.Silo;

    private (double Lat, double Lon) At(double x, double y) => _ground.At(x, y);

    /// <summary>PUTs a rectangular area (metres from the plot's origin) as a GeoJSON Feature; answers its code.</summary>
    private async Task<string> PutAreaAsync(double x, double y, double width, double height, string type = "CHA", string unit = "DU5", string project = "P-2026", string? code = null)
    {
        code ??= $"PL/{type}/CMAA/{Random.Shared.Next(10_000, 99_999)}{Interlocked.Increment(ref s_plots)}";
        (double, double)[] corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height), (x, y)];
        var ring = corners.Select(c => At(c.Item1, c.Item2)).Select(p => new[] { p.Lon, p.Lat }).ToArray();
        var put = await Silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(code)}", new
        {
            type = "Feature",
            properties = new { code, type, province = "Pailin", unit, priority = "high", project },
            geometry = new { type = "Polygon", coordinates = new[] { ring } },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return code;
    }

    [Fact]
    public async Task Every_area_exports_for_gis_as_geojson_and_kml_that_read_back_to_the_same_outline_and_figures()
    {
        var code = await PutAreaAsync(0, 0, 100, 50);

        var geojson = await Silo.Http.GetAsync("/api/hazard-areas?format=geojson");
        Assert.Equal("application/geo+json", geojson.Content.Headers.ContentType?.MediaType);
        var options = new JsonSerializerOptions();
        options.Converters.Add(new NetTopologySuite.IO.Converters.GeoJsonConverterFactory());
        var features = JsonSerializer.Deserialize<NetTopologySuite.Features.FeatureCollection>(await geojson.Content.ReadAsStringAsync(), options)!;
        var feature = Assert.Single(features, f => (string)f.Attributes["code"] == code);
        Assert.Equal("confirmed", feature.Attributes["status"]); // a CHA starts confirmed
        var outline = Assert.IsType<Polygon>(feature.Geometry);

        var kml = await Silo.Http.GetAsync("/api/hazard-areas?format=kml");
        Assert.Equal("application/vnd.google-earth.kml+xml", kml.Content.Headers.ContentType?.MediaType);
        System.Xml.Linq.XNamespace ns = "http://www.opengis.net/kml/2.2";
        var document = System.Xml.Linq.XDocument.Parse(await kml.Content.ReadAsStringAsync());
        string? Data(System.Xml.Linq.XElement placemark, string name) =>
            placemark.Descendants(ns + "Data").SingleOrDefault(d => (string?)d.Attribute("name") == name)?.Element(ns + "value")?.Value;
        var placemark = Assert.Single(document.Descendants(ns + "Placemark"), p => Data(p, "code") == code);
        Assert.Equal("confirmed", Data(placemark, "status"));
        Assert.Equal("CHA", Data(placemark, "type"));
        Assert.Equal("0", Data(placemark, "percent"));
        Assert.Equal("#confirmed", placemark.Element(ns + "styleUrl")?.Value);
        var ring = placemark.Descendants(ns + "outerBoundaryIs").Single().Descendants(ns + "coordinates").Single().Value
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(',').Select(n => double.Parse(n, CultureInfo.InvariantCulture)).ToArray())
            .Select(c => new Coordinate(c[0], c[1]))
            .ToArray();
        var read = HazardAreaGeometry.Factory.CreatePolygon(ring);
        Assert.True(read.EqualsExact(outline, 1e-12), $"KML outline {read} differs from GeoJSON {outline}");

        var wrong = await Silo.Http.GetAsync("/api/hazard-areas?format=shp");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("format", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    private static string Path(string code, string rest = "") => $"/api/hazard-areas/{Uri.EscapeDataString(code)}{rest}";

    private static string Ts(DateTimeOffset ts) => Ground.Ts(ts);

    private async Task PublishStateAsync(TrackedAsset field, string state, DateTimeOffset ts)
    {
        var ack = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status", $$"""{"ts":"{{Ts(ts)}}","state":"{{state}}"}""");
        Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());
    }

    private async Task PublishAtAsync(TrackedAsset field, double x, double y, DateTimeOffset ts)
    {
        var (lat, lon) = At(x, y);
        var ack = await field.Tracker.PublishFixAsync(lat, lon, ts);
        Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());
    }

    [Fact]
    public async Task A_lane_cleared_over_mqtt_is_pushed_as_progress_and_measured_to_the_square_metre()
    {
        var code = await PutAreaAsync(0, 0, 100, 10);
        await using var field = await TrackedAsset.StartAsync(Silo);

        var assigned = await Silo.PutJsonAsync(Path(code, $"/assets/{field.AssetId}"), new { });
        Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        var area = await assigned.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([field.AssetId], area.GetProperty("assets").EnumerateArray().Select(a => a.GetString()));
        var asset = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}");
        Assert.Equal(code, asset.GetProperty("taskArea").GetString());

        // Ten passes along the 100 m lane, 1 m apart, 2 m a second, while working.
        var t = DateTimeOffset.UtcNow.AddMinutes(-20);
        await PublishStateAsync(field, "working", t);
        for (var pass = 0; pass < 10; pass++)
        {
            for (var step = 0; step <= 50; step++)
            {
                t = t.AddSeconds(1);
                var x = pass % 2 == 0 ? step * 2.0 : 100 - (step * 2.0);
                await PublishAtAsync(field, x, pass + 0.5, t);
            }
        }

        var pushed = await field.Hub.WaitForAsync("hazardAreaUpdated",
            a => a.GetProperty("code").GetString() == code && a.GetProperty("searchedM2").GetDouble() >= 990, seconds: 15);
        Assert.InRange(pushed.GetProperty("percent").GetDouble(), 99, 100);

        var view = await Silo.GetJsonAsync<JsonElement>(Path(code));
        Assert.InRange(view.GetProperty("areaM2").GetDouble(), 999.5, 1000.5);
        Assert.InRange(view.GetProperty("searchedM2").GetDouble(), 990, 1000.5);
        Assert.Equal("confirmed", view.GetProperty("status").GetString());
        Assert.Equal("Pailin", view.GetProperty("province").GetString());

        var searched = await Silo.GetJsonAsync<JsonElement>(Path(code, "/searched"));
        Assert.Equal("Feature", searched.GetProperty("type").GetString());
        Assert.Contains(searched.GetProperty("geometry").GetProperty("type").GetString(), new[] { "Polygon", "MultiPolygon" });
        Assert.Equal(view.GetProperty("searchedM2").GetDouble(), searched.GetProperty("properties").GetProperty("searchedM2").GetDouble());
        var geoJson = new JsonSerializerOptions();
        geoJson.Converters.Add(new NetTopologySuite.IO.Converters.GeoJsonConverterFactory());
        var polygon = searched.GetProperty("geometry").Deserialize<Geometry>(geoJson)!;
        Assert.InRange(MetricProjection.AreaM2(polygon), view.GetProperty("searchedM2").GetDouble() - 1, view.GetProperty("searchedM2").GetDouble() + 1);
    }

    [Fact]
    public async Task An_sos_over_mqtt_raises_an_alert_on_the_dashboard_that_a_user_acknowledges()
    {
        await using var field = await TrackedAsset.StartAsync(Silo, unit: "DU2");
        var t = DateTimeOffset.UtcNow.AddSeconds(-30);
        await PublishAtAsync(field, 500, 500, t);

        await PublishStateAsync(field, "sos", t.AddSeconds(1));

        // The receiving silo's provisional SOS comes first (unless the ledger's own caught up with it before it was sent);
        // the ledger's own alert, the one users acknowledge, follows with the same id.
        var raised = await field.Hub.WaitForAsync("alertRaised", a => a.GetProperty("assetId").GetString() == field.AssetId);
        if (raised.TryGetProperty("provisional", out var provisional))
        {
            Assert.True(provisional.GetBoolean());
            var provisionalId = raised.GetProperty("id").GetString();
            raised = await field.Hub.WaitForAsync("alertRaised", a => a.GetProperty("assetId").GetString() == field.AssetId && !a.TryGetProperty("provisional", out _));
            Assert.Equal(provisionalId, raised.GetProperty("id").GetString());
        }

        Assert.Equal("sos", raised.GetProperty("kind").GetString());
        Assert.Equal("critical", raised.GetProperty("severity").GetString());
        Assert.Equal("DU2", raised.GetProperty("unit").GetString());
        Assert.Equal(JsonValueKind.Null, raised.GetProperty("clearedAt").ValueKind);
        foreach (var member in new[] { "id", "kind", "severity", "assetId", "hazardArea", "message", "raisedAt", "clearedAt", "acknowledgedBy", "acknowledgedAt" })
        {
            Assert.True(raised.TryGetProperty(member, out _), member);
        }

        var id = raised.GetProperty("id").GetString()!;
        var open = await Silo.GetJsonAsync<JsonElement>("/api/alerts?open=true");
        Assert.Contains(open.EnumerateArray(), a => a.GetProperty("id").GetString() == id);

        var ack = await Silo.Http.PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "Sok Dara", note = "team reached by radio" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var updated = await field.Hub.WaitForAsync("alertUpdated", a => a.GetProperty("id").GetString() == id && a.GetProperty("acknowledgedAt").ValueKind != JsonValueKind.Null);
        Assert.Equal("break-glass", updated.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("Sok Dara", updated.GetProperty("trail").EnumerateArray().Single(s => s.GetProperty("action").GetString() == "acknowledged").GetProperty("onBehalfOf").GetString());

        // Still open until the SOS is over.
        Assert.Contains((await Silo.GetJsonAsync<JsonElement>("/api/alerts?open=true")).EnumerateArray(), a => a.GetProperty("id").GetString() == id);
        await PublishStateAsync(field, "working", t.AddSeconds(20));
        var cleared = await field.Hub.WaitForAsync("alertUpdated", a => a.GetProperty("id").GetString() == id && a.GetProperty("clearedAt").ValueKind != JsonValueKind.Null);
        Assert.Equal(["raised", "acknowledged", "cleared"], cleared.GetProperty("trail").EnumerateArray().Select(s => s.GetProperty("action").GetString()));
        Assert.DoesNotContain((await Silo.GetJsonAsync<JsonElement>("/api/alerts?open=true")).EnumerateArray(), a => a.GetProperty("id").GetString() == id);

        var missing = await Silo.Http.PostAsJsonAsync("/api/alerts/no-such-alert/ack", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Land_release_steps_over_rest_are_checked_audited_and_end_the_tasks()
    {
        var code = await PutAreaAsync(0, 0, 100, 100, type: "SHA");
        await using var field = await TrackedAsset.StartAsync(Silo);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutJsonAsync(Path(code, $"/assets/{field.AssetId}"), new { })).StatusCode);

        var skip = await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "in-clearance" });
        Assert.Equal(HttpStatusCode.Conflict, skip.StatusCode);
        Assert.Equal("application/problem+json", skip.Content.Headers.ContentType?.MediaType);
        var bad = await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "cleared" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
        var badOutcome = await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "released", outcome = new { clearedM2 = "lots" } });
        Assert.True((await badOutcome.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("outcome.clearedM2", out _));

        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "confirmed", note = "TS: AP mines found", by = "Chan Sopheap" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "in-clearance" })).StatusCode);
        var tooMuch = await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "released", outcome = new { clearedM2 = 12_000 } });
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        var released = await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "released", outcome = new { reducedM2 = 2_500, clearedM2 = 7_500 } });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);

        var view = await released.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("released", view.GetProperty("status").GetString());
        Assert.Equal(7_500, view.GetProperty("outcome").GetProperty("clearedM2").GetDouble());
        Assert.Empty(view.GetProperty("assets").EnumerateArray());
        // The signed-in user is who acted; the body's "by" is kept beside it as onBehalfOf, never instead.
        var steps = view.GetProperty("transitions").EnumerateArray().Select(s => (s.GetProperty("to").GetString(), s.GetProperty("by").GetString(),
            s.TryGetProperty("onBehalfOf", out var behalf) && behalf.ValueKind == JsonValueKind.String ? behalf.GetString() : null)).ToList();
        Assert.Equal([("suspected", "break-glass", null), ("confirmed", "break-glass", "Chan Sopheap"), ("in-clearance", "break-glass", null), ("released", "break-glass", null)], steps);
        Assert.Equal(JsonValueKind.Null, (await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}")).GetProperty("taskArea").ValueKind);

        var late = await Silo.PutJsonAsync(Path(code, $"/assets/{field.AssetId}"), new { });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.PutJsonAsync(Path(code, "/assets/no-such-asset"), new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.PutJsonAsync(Path("XX/CHA/NONE/1", $"/assets/{field.AssetId}"), new { })).StatusCode);
    }

    [Fact]
    public async Task A_device_of_another_team_cannot_decide_a_detection_over_mqtt()
    {
        var code = await PutAreaAsync(0, 0, 100, 100, unit: "DU3");
        await using var dog = await TrackedAsset.StartAsync(Silo, kind: "dog", unit: "DU3");
        await using var stranger = await TrackedAsset.StartAsync(Silo, unit: "DU4");
        var t = DateTimeOffset.UtcNow.AddMinutes(-3);
        var (lat, lon) = At(30, 30);
        Assert.True((await dog.Tracker.PublishAsync($"cmac/v1/{dog.DeviceId}/detection",
            $$"""{"ts":"{{Ts(t)}}","lat":{{lat.ToString(CultureInfo.InvariantCulture)}},"lon":{{lon.ToString(CultureInfo.InvariantCulture)}},"sensor":"dog"}""")).IsSuccess);
        var id = $"{dog.DeviceId}-{t.ToUnixTimeMilliseconds()}";
        var before = (await Silo.GetJsonAsync<JsonElement>("/api/ingest/stats")).GetProperty("rejected").GetProperty("forbidden").GetInt64();

        // A DU4 team's device marks the DU3 dog's indication as clutter: refused (MQTT 5: NotAuthorized), counted.
        var refused = await stranger.Tracker.PublishAsync($"cmac/v1/{stranger.DeviceId}/find", $$"""{"ts":"{{Ts(t.AddMinutes(1))}}","detectionId":"{{id}}","clutter":true}""");
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.NotAuthorized, refused.ReasonCode);
        Assert.Equal("open", (await Silo.GetJsonAsync<JsonElement>($"/api/detections/{id}")).GetProperty("status").GetString());
        var after = (await Silo.GetJsonAsync<JsonElement>("/api/ingest/stats")).GetProperty("rejected").GetProperty("forbidden").GetInt64();
        Assert.True(after >= before + 1, $"forbidden counted {before} -> {after}");

        // Once the area is its task, the same device may.
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutJsonAsync(Path(code, $"/assets/{stranger.AssetId}"), new { })).StatusCode);
        var decided = await stranger.Tracker.PublishAsync($"cmac/v1/{stranger.DeviceId}/find", $$"""{"ts":"{{Ts(t.AddMinutes(2))}}","detectionId":"{{id}}","clutter":true}""");
        Assert.True(decided.IsSuccess, decided.ReasonCode.ToString());
        Assert.Equal("clutter", (await Silo.GetJsonAsync<JsonElement>($"/api/detections/{id}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Detections_over_mqtt_become_finds_from_the_field_and_over_rest_and_the_area_counts_them()
    {
        var code = await PutAreaAsync(0, 0, 100, 100);
        await using var field = await TrackedAsset.StartAsync(Silo);
        var t = DateTimeOffset.UtcNow.AddMinutes(-10);
        var (lat, lon) = At(40, 40);
        var (lat2, lon2) = At(60, 60);
        var (lat3, lon3) = At(70, 20);

        foreach (var (ts, la, lo) in new[] { (t, lat, lon), (t.AddSeconds(20), lat2, lon2), (t.AddSeconds(40), lat3, lon3) })
        {
            var detected = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/detection",
                $$"""{"ts":"{{Ts(ts)}}","lat":{{la.ToString(CultureInfo.InvariantCulture)}},"lon":{{lo.ToString(CultureInfo.InvariantCulture)}},"sensor":"metal","strength":0.8,"depthCm":12}""");
            Assert.True(detected.IsSuccess, detected.ReasonCode.ToString());
        }

        var open = await Silo.GetJsonAsync<JsonElement>($"/api/detections?area={Uri.EscapeDataString(code)}&status=open");
        Assert.Equal(3, open.GetArrayLength());
        Assert.All(open.EnumerateArray(), d => Assert.Equal(code, d.GetProperty("hazardArea").GetString()));
        var ids = open.EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList();

        // The team confirms its first detection from the field, naming it by the time it reported it.
        var confirmed = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/find",
            $$"""{"ts":"{{Ts(t.AddMinutes(2))}}","detectionTs":"{{Ts(t)}}","category":"submunition","model":"BLU-24/B","depthCm":15,"disposal":"destroyed-in-situ"}""");
        Assert.True(confirmed.IsSuccess, confirmed.ReasonCode.ToString());
        var pushed = await field.Hub.WaitForAsync("hazardAreaUpdated", a => a.GetProperty("code").GetString() == code && a.GetProperty("finds").GetInt32() == 1);
        Assert.Equal(1, pushed.GetProperty("findsByCategory").GetProperty("submunition").GetInt32());
        var audited = await Silo.GetJsonAsync<JsonElement>($"/api/audit?user={Uri.EscapeDataString($"device:{field.DeviceId}")}");
        Assert.Equal([("detection.confirm", $"detection:{ids[0]}")], audited.EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("target").GetString())));

        // The command centre confirms the second over REST and marks the third clutter.
        var bad = await Silo.Http.PostAsJsonAsync($"/api/detections/{ids[1]}/confirm", new { category = "landmine", depthCm = 5, disposal = "removed" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("category", out _));
        var rest = await Silo.Http.PostAsJsonAsync($"/api/detections/{ids[1]}/confirm", new { category = "ap-mine", model = "PMN-2", depthCm = 8, disposal = "removed" });
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal("find", (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync($"/api/detections/{ids[2]}/clutter", new { note = "tin can" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Silo.Http.PostAsJsonAsync($"/api/detections/{ids[2]}/confirm", new { category = "uxo", depthCm = 5, disposal = "removed" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.PostAsJsonAsync("/api/detections/no-such-detection/clutter", new { })).StatusCode);

        var area = await Silo.GetJsonAsync<JsonElement>(Path(code));
        Assert.Equal(2, area.GetProperty("finds").GetInt32());
        Assert.Equal(1, area.GetProperty("findsByCategory").GetProperty("ap-mine").GetInt32());
        Assert.Equal(0, area.GetProperty("openDetections").GetInt32());
        Assert.Equal(1, area.GetProperty("clutter").GetInt32());
        var finds = await Silo.GetJsonAsync<JsonElement>($"/api/detections?area={Uri.EscapeDataString(code)}&status=find");
        Assert.Equal(["submunition", "ap-mine"], finds.EnumerateArray().Select(d => d.GetProperty("find").GetProperty("category").GetString()));
    }

    [Fact]
    public async Task The_daily_report_adds_up_the_days_work_per_unit_and_a_projects_progress_in_json_and_csv()
    {
        var unit = $"R{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        var other = $"R{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        var project = TrackedAsset.NewId("P");
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).DateTime);
        var put = await Silo.PutJsonAsync($"/api/projects/{project}", new
        {
            name = "Pailin clearance 2026",
            units = new[] { unit, other },
            targetM2 = 7_560_000,
            start = today.AddDays(-9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            end = today.AddDays(90).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var badProject = await Silo.PutJsonAsync($"/api/projects/{project}", new { name = "x", units = Array.Empty<string>(), targetM2 = -1, start = "2026-13-01", end = "2026-01-01" });
        var problems = (await badProject.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(problems.TryGetProperty("units", out _) && problems.TryGetProperty("targetM2", out _) && problems.TryGetProperty("start", out _));

        var code = await PutAreaAsync(0, 0, 50, 20, unit: unit, project: project);
        await using var field = await TrackedAsset.StartAsync(Silo, unit: unit);
        await Silo.PutJsonAsync(Path(code, $"/assets/{field.AssetId}"), new { });

        // The work happens today in Cambodian time, even when the test runs just after local midnight.
        var localMidnight = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7));
        var t = DateTimeOffset.UtcNow.AddMinutes(-10);
        t = t < localMidnight ? localMidnight.AddSeconds(1) : t;
        await PublishStateAsync(field, "working", t);
        for (var step = 0; step <= 25; step++)
        {
            await PublishAtAsync(field, step * 2.0, 10, t.AddSeconds(step + 1));
        }

        await PublishStateAsync(field, "resting", t.AddSeconds(30));
        await field.Hub.WaitForAsync("hazardAreaUpdated", a => a.GetProperty("code").GetString() == code && a.GetProperty("searchedM2").GetDouble() > 49);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "in-clearance" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "released", outcome = new { reducedM2 = 400, clearedM2 = 600 } })).StatusCode);

        var report = await Silo.GetJsonAsync<JsonElement>($"/api/reports/daily?date={today:yyyy-MM-dd}&project={project}");
        var rows = report.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal([unit, other], rows.Select(r => r.GetProperty("unit").GetString()));
        var mine = rows[0];
        Assert.InRange(mine.GetProperty("searchedM2").GetDouble(), 49, 51.5);
        Assert.Equal(1000, mine.GetProperty("releasedM2").GetDouble());
        Assert.Equal(600, mine.GetProperty("clearedM2").GetDouble());
        Assert.Equal(0.008, mine.GetProperty("workingHours").GetProperty("team").GetDouble()); // 30 s
        Assert.Equal(0, rows[1].GetProperty("releasedM2").GetDouble());
        var progress = report.GetProperty("project");
        Assert.Equal(1000, progress.GetProperty("releasedM2").GetDouble());
        Assert.Equal(Math.Round(100 * 1000 / 7_560_000.0, 2), progress.GetProperty("percentOfTarget").GetDouble());
        Assert.Equal(Math.Round(100.0 * 10 / 100, 2), progress.GetProperty("plannedPercent").GetDouble());

        var csvResponse = await Silo.Http.GetAsync($"/api/reports/daily?date={today:yyyy-MM-dd}&unit={unit}&format=csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var lines = (await csvResponse.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Trim().Split(',');
        var cells = lines[1].Trim().Split(',');
        Assert.Equal(2, lines.Length);
        Assert.Equal(unit, cells[Array.IndexOf(header, "unit")]);
        Assert.Equal("1000", cells[Array.IndexOf(header, "released_m2")]);
        Assert.Equal("0", cells[Array.IndexOf(header, "finds_ap_mine")]);

        var bad = await Silo.Http.GetAsync("/api/reports/daily?date=12/05/2026&format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("date", out _) && errors.TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Two_projects_sharing_a_unit_each_count_only_the_ground_and_finds_of_the_areas_naming_them()
    {
        var unit = $"R{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).DateTime);
        var (first, second) = (TrackedAsset.NewId("PA"), TrackedAsset.NewId("PB"));
        foreach (var (project, donor) in new[] { (first, "Japan (JICA)"), (second, "United States PM/WRA") })
        {
            var put = await Silo.PutJsonAsync($"/api/projects/{project}", new
            {
                name = $"Project {project}",
                units = new[] { unit },
                donor,
                targetM2 = 10_000,
                start = today.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                end = today.AddDays(8).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(donor, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("donor").GetString());
        }

        // One unit, two teams, each in an area of its own project: A (50 × 20 m) for the first, B (30 × 20 m) for the second.
        var areaA = await PutAreaAsync(0, 0, 50, 20, unit: unit, project: first);
        var areaB = await PutAreaAsync(200, 0, 30, 20, unit: unit, project: second);
        await using var teamA = await TrackedAsset.StartAsync(Silo, unit: unit);
        await using var teamB = await TrackedAsset.StartAsync(Silo, unit: unit);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutJsonAsync(Path(areaA, $"/assets/{teamA.AssetId}"), new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutJsonAsync(Path(areaB, $"/assets/{teamB.AssetId}"), new { })).StatusCode);
        var localMidnight = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(7));
        var t = DateTimeOffset.UtcNow.AddMinutes(-10);
        t = t < localMidnight ? localMidnight.AddSeconds(1) : t;
        await PublishStateAsync(teamA, "working", t);
        await PublishStateAsync(teamB, "working", t);
        for (var step = 0; step <= 25; step++)
        {
            await PublishAtAsync(teamA, step * 2.0, 10, t.AddSeconds(step + 1));
            await PublishAtAsync(teamB, 200 + Math.Min(30, step * 2.0), 10, t.AddSeconds(step + 1));
        }

        await PublishStateAsync(teamA, "resting", t.AddSeconds(30));
        await PublishStateAsync(teamB, "resting", t.AddSeconds(30));
        await teamA.Hub.WaitForAsync("hazardAreaUpdated", a => a.GetProperty("code").GetString() == areaA && a.GetProperty("searchedM2").GetDouble() > 49);
        await teamB.Hub.WaitForAsync("hazardAreaUpdated", a => a.GetProperty("code").GetString() == areaB && a.GetProperty("searchedM2").GetDouble() > 29);

        // A find in area A, confirmed over REST.
        var (lat, lon) = At(25, 5);
        var found = t.AddSeconds(40);
        Assert.True((await teamA.Tracker.PublishAsync($"cmac/v1/{teamA.DeviceId}/detection",
            $$"""{"ts":"{{Ts(found)}}","lat":{{lat.ToString(CultureInfo.InvariantCulture)}},"lon":{{lon.ToString(CultureInfo.InvariantCulture)}},"sensor":"metal"}""")).IsSuccess);
        var detection = $"{teamA.DeviceId}-{found.ToUnixTimeMilliseconds()}";
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync($"/api/detections/{detection}/confirm", new { category = "uxo", depthCm = 10, disposal = "removed" })).StatusCode);

        foreach (var (code, outcome) in new[] { (areaA, (object)new { clearedM2 = 1000 }), (areaB, new { reducedM2 = 300, clearedM2 = 300 }) })
        {
            Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "in-clearance" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync(Path(code, "/status"), new { status = "released", outcome })).StatusCode);
        }

        async Task<JsonElement> ProgressAsync(string project) => await Silo.GetJsonAsync<JsonElement>($"/api/projects/{project}");
        var a = await ProgressAsync(first);
        Assert.Equal("Japan (JICA)", a.GetProperty("donor").GetString());
        Assert.Equal([areaA], a.GetProperty("areas").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1000, a.GetProperty("releasedM2").GetDouble());
        Assert.InRange(a.GetProperty("searchedM2").GetDouble(), 49, 51.5);
        Assert.Equal(1, a.GetProperty("finds").GetInt32());
        Assert.Equal(10, a.GetProperty("percentOfTarget").GetDouble());
        var b = await ProgressAsync(second);
        Assert.Equal([areaB], b.GetProperty("areas").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(600, b.GetProperty("releasedM2").GetDouble());
        Assert.InRange(b.GetProperty("searchedM2").GetDouble(), 29, 31.5);
        Assert.Equal(0, b.GetProperty("finds").GetInt32());

        // The daily report per unit still counts everything the unit did.
        var row = (await Silo.GetJsonAsync<JsonElement>($"/api/reports/daily?date={today:yyyy-MM-dd}&unit={unit}")).GetProperty("units")[0];
        Assert.Equal(1600, row.GetProperty("releasedM2").GetDouble());
        Assert.Equal(1, row.GetProperty("findsTotal").GetInt32());

        // Area A now names the second project: it stops counting for the first and counts, with its find, for the second.
        await PutAreaAsync(0, 0, 50, 20, unit: unit, project: second, code: areaA);
        a = await ProgressAsync(first);
        Assert.Empty(a.GetProperty("areas").EnumerateArray());
        Assert.Equal(0, a.GetProperty("releasedM2").GetDouble());
        Assert.Equal(0, a.GetProperty("searchedM2").GetDouble());
        Assert.Equal(0, a.GetProperty("finds").GetInt32());
        b = await ProgressAsync(second);
        Assert.Equal(new[] { areaA, areaB }.Order(StringComparer.Ordinal), b.GetProperty("areas").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1600, b.GetProperty("releasedM2").GetDouble());
        Assert.Equal(1, b.GetProperty("finds").GetInt32());
        var listed = await Silo.GetJsonAsync<JsonElement>("/api/projects");
        Assert.Equal(1600, listed.EnumerateArray().Single(p => p.GetProperty("id").GetString() == second).GetProperty("releasedM2").GetDouble());
    }
}
