using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Phones on the phones' port, with the requests their apps send, byte for byte: Traccar Client 10 (a form POST, its
/// <c>traccar-client-sdk</c>), Traccar Client 9 (the JSON of its background-location library), older Traccar Client and OsmAnd
/// (a GET query), and OwnTracks in HTTP mode. Each is stored as an MQTT fix is, and each refusal answers its status and is counted.
/// </summary>
[Collection(PhoneSiloCollection.Name)]
public sealed class OsmandTests(PhoneSiloFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    private HttpClient Phone => fixture.Phone;

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    private static string Seconds(DateTimeOffset t) => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A whole second a little in the past: the apps send seconds.</summary>
    private static DateTimeOffset Recent(double minutesAgo = 1) =>
        DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-minutesAgo).ToUnixTimeSeconds());

    private async Task<(string AssetId, string DeviceId, string Secret)> PhoneAsync()
    {
        var assetId = TrackedAsset.NewId("DU5-team");
        var deviceId = TrackedAsset.NewId("phone");
        var secret = await Silo.ProvisionAsync(assetId, deviceId);
        return (assetId, deviceId, secret);
    }

    /// <summary>As Traccar Client 10 posts a position (ktor's <c>submitForm</c>): the form in the body, the secret in the server URL.</summary>
    private static HttpRequestMessage Form(string path, string form)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(form));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=UTF-8");
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    private static HttpRequestMessage Json(string path, string json, (string User, string Password)? basic = null)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (basic is { } b)
        {
            request.Headers.Authorization = BasicHeader(b.User, b.Password);
        }

        return request;
    }

    private static AuthenticationHeaderValue BasicHeader(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await Phone.SendAsync(request);
        }
    }

    private async Task<JsonElement> AssetAsync(string assetId) => await Silo.GetJsonAsync<JsonElement>($"/api/assets/{assetId}");

    private async Task<JsonElement> StatsAsync() => await Silo.GetJsonAsync<JsonElement>("/api/ingest/stats");

    private static long Count(JsonElement stats, params string[] path)
    {
        var element = stats;
        foreach (var step in path)
        {
            element = element.GetProperty(step);
        }

        return element.GetInt64();
    }

    private async Task<List<(double Lat, double Lon, DateTimeOffset At)>> TrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to)
    {
        var track = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{assetId}/track?from={Iso(from)}&to={Iso(to)}");
        var coordinates = track.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().ToList();
        var times = track.GetProperty("properties").GetProperty("times").EnumerateArray().ToList();
        return coordinates.Zip(times, (c, t) => (c[1].GetDouble(), c[0].GetDouble(), DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture))).ToList();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Traccar_Client_10s_form_post_is_stored_and_pushed_with_speed_converted_from_knots()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        await using var hub = await HubProbe.ConnectAsync(Silo);
        var t = Recent();

        // Byte for byte what traccar-client-sdk's HttpUploader posts (speed in knots, battery a whole percent, charge).
        var response = await SendAsync(Form($"/?key={Uri.EscapeDataString(secret)}",
            $"id={deviceId}&lat=13.3633&lon=102.9876&timestamp={Seconds(t)}&accuracy=4.5&altitude=12.0&speed=9.72&bearing=270.0&batt=81&charge=false"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pushed = await hub.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetId && HubProbe.Lat(s) is not null);
        Assert.Equal(13.3633, HubProbe.Lat(pushed));
        var asset = await AssetAsync(assetId);
        var position = asset.GetProperty("position");
        Assert.Equal((13.3633, 102.9876), (position.GetProperty("lat").GetDouble(), position.GetProperty("lon").GetDouble()));
        Assert.Equal(9.72 * 1852 / 3600, position.GetProperty("spd").GetDouble(), 6); // knots to m/s: 5.0004
        Assert.Equal((4.5, 12.0, 270.0), (position.GetProperty("acc").GetDouble(), position.GetProperty("alt").GetDouble(), position.GetProperty("hdg").GetDouble()));
        Assert.Equal(t, position.GetProperty("ts").GetDateTimeOffset());
        Assert.Equal(81, asset.GetProperty("battery").GetInt32());
        Assert.True(asset.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task A_GET_query_as_older_apps_send_it_takes_seconds_milliseconds_and_ISO_times_with_Basic_or_key()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        var t0 = Recent(3);
        var before = Count(await StatsAsync(), "sources", "osmand", "accepted");

        // Seconds, milliseconds, ISO-8601 and Traccar's "yyyy-MM-dd HH:mm:ss"; the secret as key= or in HTTP Basic; id or deviceid.
        string[] queries =
        [
            $"/?id={deviceId}&timestamp={Seconds(t0)}&lat=13.1&lon=103.1&speed=0.0&bearing=0.0&altitude=0.0&accuracy=0.0&batt=87.0&key={Uri.EscapeDataString(secret)}",
            $"/?deviceid={deviceId}&timestamp={t0.AddSeconds(10).ToUnixTimeMilliseconds()}&lat=13.2&lon=103.2&key={Uri.EscapeDataString(secret)}",
            $"/?id={deviceId}&timestamp={Iso(t0.AddSeconds(20))}&location=13.3,103.3",
            $"/?id={deviceId}&timestamp={Uri.EscapeDataString(t0.AddSeconds(30).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))}&lat=13.4&lon=103.4&heading=90",
        ];
        for (var i = 0; i < queries.Length; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, queries[i]);
            if (i >= 2)
            {
                request.Headers.Authorization = BasicHeader(deviceId, secret);
            }

            var response = await SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{queries[i]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var track = await TrackAsync(assetId, t0.AddSeconds(-1), t0.AddMinutes(1));
        Assert.Equal([(13.1, 103.1, t0), (13.2, 103.2, t0.AddSeconds(10)), (13.3, 103.3, t0.AddSeconds(20)), (13.4, 103.4, t0.AddSeconds(30))], track);
        Assert.Equal(90, (await AssetAsync(assetId)).GetProperty("position").GetProperty("hdg").GetDouble());
        Assert.Equal(before + 4, Count(await StatsAsync(), "sources", "osmand", "accepted"));
    }

    [Fact]
    public async Task Traccar_Client_9s_JSON_post_is_stored_with_its_speed_in_metres_a_second_and_unknowns_left_out()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        var t = Recent();
        // The location template of Traccar Client 9 (flutter_background_geolocation), one location per request; -1 is unknown.
        var json = $$"""{"location":{"timestamp":"{{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}}","coords":{"latitude":13.3712,"longitude":102.9954,"accuracy":6.1,"speed":3.5,"heading":-1,"altitude":41.2},"is_moving":true,"odometer":1234.5,"event":"motionchange","battery":{"level":0.64,"is_charging":false},"activity":{"type":"walking"},"extras":{},"_":"&id={{deviceId}}&lat=13.3712&lon=102.9954&timestamp={{t.UtcDateTime:O}}&"},"device_id":"{{deviceId}}"}""";

        var response = await SendAsync(Json($"/?key={Uri.EscapeDataString(secret)}", json));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var asset = await AssetAsync(assetId);
        var position = asset.GetProperty("position");
        Assert.Equal((13.3712, 102.9954, 3.5, 41.2), (position.GetProperty("lat").GetDouble(), position.GetProperty("lon").GetDouble(),
            position.GetProperty("spd").GetDouble(), position.GetProperty("alt").GetDouble()));
        Assert.Equal(JsonValueKind.Null, position.TryGetProperty("hdg", out var hdg) ? hdg.ValueKind : JsonValueKind.Null);
        Assert.Equal(64, asset.GetProperty("battery").GetInt32());
        Assert.Equal(t, position.GetProperty("ts").GetDateTimeOffset());
    }

    [Fact]
    public async Task Traccar_Client_9s_sos_in_its_JSON_extras_raises_the_alert_once_however_often_the_app_sends_it()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        await using var hub = await HubProbe.ConnectAsync(Silo);
        var t = Recent();
        var json = $$$"""{"location":{"timestamp":"{{{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}}}","coords":{"latitude":13.3712,"longitude":102.9954,"accuracy":6.1,"speed":0,"heading":-1,"altitude":41.2},"is_moving":false,"odometer":1234.5,"battery":{"level":0.64,"is_charging":false},"extras":{"alarm":"sos"}},"device_id":"{{{deviceId}}}"}""";

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Json($"/?key={Uri.EscapeDataString(secret)}", json))).StatusCode);
        var raised = await hub.WaitForAsync("alertRaised", a => a.GetProperty("assetId").GetString() == assetId);
        Assert.Equal(("sos", "critical"), (raised.GetProperty("kind").GetString(), raised.GetProperty("severity").GetString()));
        Assert.Contains("13.371200, 102.995400", raised.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Json($"/?key={Uri.EscapeDataString(secret)}", json))).StatusCode);

        var open = (await Silo.GetJsonAsync<JsonElement>("/api/alerts?open=true")).EnumerateArray()
            .Where(a => a.GetProperty("assetId").GetString() == assetId).ToList();
        Assert.Equal(raised.GetProperty("id").GetString(), Assert.Single(open).GetProperty("id").GetString());
        var acked = await Silo.Http.PostAsJsonAsync($"/api/alerts/{Uri.EscapeDataString(raised.GetProperty("id").GetString()!)}/ack", new { note = "test" });
        Assert.Equal(HttpStatusCode.OK, acked.StatusCode);
    }

    [Fact]
    public async Task Traccar_Clients_sos_button_raises_a_critical_sos_on_every_dashboard_open_until_acknowledged_even_beside_a_refused_fix()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        await using var hub = await HubProbe.ConnectAsync(Silo);
        var before = await StatsAsync();
        var t = Recent();

        // What the app posts when its SOS button is pressed: its position with alarm=sos.
        var sos = $"id={deviceId}&lat=13.3633&lon=102.9876&timestamp={Seconds(t)}&accuracy=4.5&speed=0.0&bearing=0.0&batt=64&charge=false&alarm=sos";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Form($"/?key={Uri.EscapeDataString(secret)}", sos))).StatusCode);
        var raised = await hub.WaitForAsync("alertRaised", a => a.GetProperty("assetId").GetString() == assetId);
        Assert.Equal(("sos", "critical", "DU5"), (raised.GetProperty("kind").GetString(), raised.GetProperty("severity").GetString(), raised.GetProperty("unit").GetString()));
        Assert.Contains(deviceId, raised.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("13.363300, 102.987600", raised.GetProperty("message").GetString(), StringComparison.Ordinal);
        var id = raised.GetProperty("id").GetString()!;

        // The fix is stored as any other; the asset's state is left alone (a phone reports none).
        var asset = await AssetAsync(assetId);
        Assert.Equal(t, asset.GetProperty("position").GetProperty("ts").GetDateTimeOffset());
        Assert.NotEqual("sos", asset.GetProperty("state").GetString());

        // The app's queue sends the same report again after a lost answer: the same alert, not a second.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Form($"/?key={Uri.EscapeDataString(secret)}", sos))).StatusCode);

        // An SOS beside a fix the silo refuses is raised all the same; the fix is answered 400 naming its field.
        var refused = await SendAsync(Form($"/?key={Uri.EscapeDataString(secret)}",
            $"id={deviceId}&lat=13.3634&lon=102.9877&timestamp={Seconds(t.AddSeconds(30))}&speed=fast&alarm=sos"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await ProblemAsync(refused)).GetProperty("errors").TryGetProperty("speed", out _));
        await hub.WaitForAsync("alertRaised", a => a.GetProperty("assetId").GetString() == assetId && a.GetProperty("id").GetString() != id);

        var open = (await Silo.GetJsonAsync<JsonElement>("/api/alerts?open=true")).EnumerateArray()
            .Where(a => a.GetProperty("assetId").GetString() == assetId).ToList();
        Assert.Equal(2, open.Count);
        Assert.All(open, a => Assert.Equal("sos", a.GetProperty("kind").GetString()));
        Assert.All(open, a => Assert.Equal(JsonValueKind.Null, a.GetProperty("acknowledgedAt").ValueKind));
        var after = await StatsAsync();
        Assert.Equal(before.GetProperty("phoneSos").GetInt64() + 3, after.GetProperty("phoneSos").GetInt64()); // the repeat counts, raises nothing

        // Acknowledged, each is closed.
        foreach (var alert in open)
        {
            var acked = await Silo.Http.PostAsJsonAsync($"/api/alerts/{Uri.EscapeDataString(alert.GetProperty("id").GetString()!)}/ack", new { note = "radio contact: a sprained ankle, team walking out" });
            Assert.Equal(HttpStatusCode.OK, acked.StatusCode);
        }

        Assert.DoesNotContain((await Silo.GetJsonAsync<JsonElement>("/api/alerts?open=true")).EnumerateArray(), a => a.GetProperty("assetId").GetString() == assetId);
    }

    [Fact]
    public async Task A_report_without_a_position_is_a_heartbeat_answered_200_and_counted_as_ignored()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        var before = await StatsAsync();

        // traccar-client-sdk's heartbeat has no coordinates; refusing it would hold the app's queue for good.
        var form = await SendAsync(Form($"/?key={Uri.EscapeDataString(secret)}", $"id={deviceId}&timestamp={Seconds(Recent())}&batt=50&charge=true"));
        var json = await SendAsync(Json($"/?key={Uri.EscapeDataString(secret)}",
            $$$"""{"location":{"timestamp":"{{{Recent().UtcDateTime:O}}}","extras":{"heartbeat":true}},"device_id":"{{{deviceId}}}"}"""));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (form.StatusCode, json.StatusCode));
        var after = await StatsAsync();
        Assert.Equal(Count(before, "sources", "osmand", "ignored") + 2, Count(after, "sources", "osmand", "ignored"));
        Assert.Equal(JsonValueKind.Null, (await AssetAsync(assetId)).GetProperty("position").ValueKind);
    }

    [Fact]
    public async Task OwnTracks_in_HTTP_mode_is_stored_and_answered_with_an_empty_array_and_its_other_messages_are_ignored()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        var t = Recent();
        var before = await StatsAsync();

        // As the OwnTracks app posts a location: Basic with the user (the device id), X-Limit-U/D, vel in km/h.
        var location = Json("/owntracks",
            $$"""{"_type":"location","acc":8,"alt":35,"batt":72,"bs":1,"cog":180,"conn":"m","created_at":{{Seconds(t)}},"lat":13.0951,"lon":103.2022,"m":1,"t":"u","tid":"p1","topic":"owntracks/{{deviceId}}/phone","tst":{{Seconds(t)}},"vac":3,"vel":18}""",
            (deviceId, secret));
        location.Headers.Add("X-Limit-U", deviceId);
        location.Headers.Add("X-Limit-D", "phone");
        var stored = await SendAsync(location);

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Equal("[]", await stored.Content.ReadAsStringAsync());
        var asset = await AssetAsync(assetId);
        Assert.Equal((13.0951, 103.2022, 5.0, 180.0), (asset.GetProperty("position").GetProperty("lat").GetDouble(),
            asset.GetProperty("position").GetProperty("lon").GetDouble(), asset.GetProperty("position").GetProperty("spd").GetDouble(),
            asset.GetProperty("position").GetProperty("hdg").GetDouble()));
        Assert.Equal(72, asset.GetProperty("battery").GetInt32());

        // At / too: told from the OsmAnd JSON by its _type. Other types and an empty body (a friend deleted) are ignored.
        var atRoot = await SendAsync(Json("/", $$"""{"_type":"location","lat":13.0952,"lon":103.2023,"tst":{{Seconds(t.AddSeconds(5))}}}""", (deviceId, secret)));
        var waypoints = await SendAsync(Json("/", """{"_type":"waypoints","waypoints":[]}""", (deviceId, secret)));
        var empty = await SendAsync(Json("/owntracks", "", (deviceId, secret)));
        foreach (var response in new[] { atRoot, waypoints, empty })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(13.0952, (await AssetAsync(assetId)).GetProperty("position").GetProperty("lat").GetDouble());
        var after = await StatsAsync();
        Assert.Equal(Count(before, "sources", "owntracks-http", "accepted") + 2, Count(after, "sources", "owntracks-http", "accepted"));
        Assert.Equal(Count(before, "sources", "owntracks-http", "ignored") + 2, Count(after, "sources", "owntracks-http", "ignored"));

        // Without Basic, or with a wrong password: 401, counted.
        var anonymous = await SendAsync(Json("/owntracks", $$"""{"_type":"location","lat":13,"lon":103,"tst":{{Seconds(t)}}}"""));
        var wrong = await SendAsync(Json("/owntracks", $$"""{"_type":"location","lat":13,"lon":103,"tst":{{Seconds(t)}}}""", (deviceId, "not-the-secret")));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (anonymous.StatusCode, wrong.StatusCode));
        Assert.Equal(Count(after, "sources", "owntracks-http", "unauthorized") + 2, Count(await StatsAsync(), "sources", "owntracks-http", "unauthorized"));
    }

    [Fact]
    public async Task A_batch_sent_after_a_coverage_gap_is_stored_whole_and_the_live_position_stays_the_newest()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        var newest = Recent(1);
        var key = Uri.EscapeDataString(secret);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(Form($"/?key={key}", $"id={deviceId}&lat=13.5&lon=103.5&timestamp={Seconds(newest)}"))).StatusCode);

        // The app's queue, oldest first: 20 fixes buffered during the gap, each a request with its old time.
        var gapStart = newest.AddMinutes(-10);
        for (var i = 0; i < 20; i++)
        {
            var response = await SendAsync(Form($"/?key={key}",
                $"id={deviceId}&lat={(13.0 + i * 0.001).ToString(CultureInfo.InvariantCulture)}&lon=103.0&timestamp={Seconds(gapStart.AddSeconds(i * 15))}&speed=1.0"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var position = (await AssetAsync(assetId)).GetProperty("position");
        Assert.Equal((13.5, newest), (position.GetProperty("lat").GetDouble(), position.GetProperty("ts").GetDateTimeOffset()));
        var track = await TrackAsync(assetId, gapStart.AddSeconds(-1), newest.AddSeconds(1));
        Assert.Equal(21, track.Count);
        Assert.Equal(track.OrderBy(p => p.At).ToList(), track);
        Assert.Equal((13.0, gapStart), (track[0].Lat, track[0].At));
        Assert.Equal((13.5, newest), (track[^1].Lat, track[^1].At));
    }

    [Fact]
    public async Task Missing_or_refused_credentials_answer_401_and_another_devices_id_403_each_counted()
    {
        var (_, deviceId, secret) = await PhoneAsync();
        var (_, otherId, _) = await PhoneAsync();
        var fix = $"lat=13.3&lon=103.3&timestamp={Seconds(Recent())}";
        var before = await StatsAsync();

        HttpRequestMessage[] refused =
        [
            new(HttpMethod.Get, $"/?id={deviceId}&{fix}&key=not-the-secret"), // wrong secret as key=
            new(HttpMethod.Get, $"/?id=no-such-phone&{fix}&key={Uri.EscapeDataString(secret)}"), // unknown device
            new(HttpMethod.Get, $"/?id={deviceId}&{fix}"), // no credentials
            new(HttpMethod.Get, $"/?id=phone%2F..%2Fx&{fix}&key={Uri.EscapeDataString(secret)}"), // not a device id
            new(HttpMethod.Get, $"/?{fix}") { Headers = { Authorization = BasicHeader(deviceId, "wrong-password") } }, // wrong Basic
            new(HttpMethod.Get, $"/?{fix}") { Headers = { Authorization = new AuthenticationHeaderValue("Basic", "not base64 at all") } },
        ];
        foreach (var request in refused)
        {
            var uri = request.RequestUri;
            var response = await SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{uri}: {(int)response.StatusCode}");
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        var another = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/?id={otherId}&{fix}") { Headers = { Authorization = BasicHeader(deviceId, secret) } });
        Assert.Equal(HttpStatusCode.Forbidden, another.StatusCode);
        Assert.True((await ProblemAsync(another)).GetProperty("errors").TryGetProperty("id", out _));

        var after = await StatsAsync();
        Assert.Equal(Count(before, "sources", "osmand", "unauthorized") + refused.Length, Count(after, "sources", "osmand", "unauthorized"));
        Assert.Equal(Count(before, "rejected", "forbidden") + 1, Count(after, "rejected", "forbidden"));
        Assert.Equal(Count(before, "sources", "osmand", "accepted"), Count(after, "sources", "osmand", "accepted"));
    }

    [Fact]
    public async Task Hostile_fields_answer_400_naming_the_field_as_the_app_sent_it_and_are_counted_by_reason()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        var key = Uri.EscapeDataString(secret);
        var t = Seconds(Recent());
        var future = Seconds(DateTimeOffset.UtcNow.AddHours(1));
        var cases = new (HttpRequestMessage Request, string Field, string Reason)[]
        {
            (Form($"/?key={key}", $"id={deviceId}&lat=91&lon=103&timestamp={t}"), "lat", "out-of-range"),
            (Form($"/?key={key}", $"id={deviceId}&lat=13&lon=abc&timestamp={t}"), "lon", "malformed"),
            (Form($"/?key={key}", $"id={deviceId}&lon=103&timestamp={t}"), "lat", "malformed"),
            (Form($"/?key={key}", $"id={deviceId}&lat=13&lon=103&timestamp={future}"), "timestamp", "future-time"),
            (Form($"/?key={key}", $"id={deviceId}&lat=13&lon=103&timestamp=yesterday"), "timestamp", "malformed"),
            (Form($"/?key={key}", $"id={deviceId}&lat=13&lon=103&timestamp={t}&speed=-3"), "speed", "out-of-range"),
            (Form($"/?key={key}", $"id={deviceId}&lat=13&lon=103&timestamp={t}&batt=250"), "batt", "out-of-range"),
            (Form($"/?key={key}&lat=12", $"id={deviceId}&lat=13&lon=103&timestamp={t}"), "lat", "malformed"), // sent twice
            (Form($"/?key={key}", $"id={deviceId}&lat=0&lon=0&timestamp={t}"), "lat", "no-fix"),
            (Json($"/?key={key}", $$$"""{"location":{"timestamp":"{{{Recent().UtcDateTime:O}}}","coords":{"latitude":"13.1","longitude":103}},"device_id":"{{{deviceId}}}"}"""), "location.coords.latitude", "malformed"),
            (Json($"/?key={key}", $$$"""{"location":{"timestamp":"{{{Recent().UtcDateTime:O}}}","coords":{"latitude":13.1,"longitude":200}},"device_id":"{{{deviceId}}}"}"""), "location.coords.longitude", "out-of-range"),
            (Json("/", $$"""{"_type":"location","lat":13,"lon":103,"tst":{{t}},"vel":"fast"}""", (deviceId, secret)), "body", "malformed"),
        };
        var before = await StatsAsync();
        foreach (var (request, field, reason) in cases)
        {
            var response = await SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await ProblemAsync(response);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
            Assert.Equal(reason, problem.GetProperty("reason").GetString());
        }

        var after = await StatsAsync();
        foreach (var reason in cases.Select(c => c.Reason).Distinct())
        {
            Assert.Equal(Count(before, "rejected", reason) + cases.Count(c => c.Reason == reason), Count(after, "rejected", reason));
        }

        Assert.Equal(JsonValueKind.Null, (await AssetAsync(assetId)).GetProperty("position").ValueKind);
    }

    [Fact]
    public async Task A_body_or_query_over_its_limit_is_refused_before_work_and_counted()
    {
        var (_, deviceId, secret) = await PhoneAsync();
        var before = await StatsAsync();

        var huge = await SendAsync(Form($"/?key={Uri.EscapeDataString(secret)}",
            $"id={deviceId}&lat=13&lon=103&timestamp={Seconds(Recent())}&pad={new string('x', PhoneSiloFixture.MaxBodyBytes)}"));
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/owntracks")
        {
            Content = new StreamContent(new MemoryStream(new byte[PhoneSiloFixture.MaxBodyBytes * 4])), // no length: read until the limit
            Headers = { Authorization = BasicHeader(deviceId, secret), TransferEncodingChunked = true },
        };
        var hugeChunked = await SendAsync(chunked);
        var longQuery = await SendAsync(new HttpRequestMessage(HttpMethod.Get,
            $"/?id={deviceId}&key={Uri.EscapeDataString(secret)}&lat=13&lon=103&pad={new string('y', PhoneSiloFixture.MaxQueryLength)}"));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestUriTooLong),
            (huge.StatusCode, hugeChunked.StatusCode, longQuery.StatusCode));
        var after = await StatsAsync();
        Assert.Equal(Count(before, "limits", "http-body-too-large") + 2, Count(after, "limits", "http-body-too-large"));
        Assert.Equal(Count(before, "limits", "http-query-too-long") + 1, Count(after, "limits", "http-query-too-long"));
    }

    [Fact]
    public async Task The_phones_port_answers_phones_only_and_the_REST_port_never_takes_a_phones_report()
    {
        var (assetId, deviceId, secret) = await PhoneAsync();
        using var admin = new HttpClient { BaseAddress = Phone.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSilo.Token);

        // Neither REST, the hub, the health check nor the dashboard answers on the phones' port, even with the admin token.
        foreach (var path in new[] { "/api/assets", $"/api/assets/{assetId}", "/api/ingest/stats", "/health", "/hubs/ops/negotiate", "/index.html", "/assets/app.js" })
        {
            var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }

        var root = await admin.GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, root.StatusCode); // the OsmAnd endpoint asking for a device's credentials, not the dashboard
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await admin.PutAsync("/", new StringContent(""))).StatusCode);

        // On the REST port, a phone's report is not taken: / is the dashboard there.
        var before = Count(await StatsAsync(), "sources", "osmand", "accepted");
        using var rest = new HttpClient { BaseAddress = Silo.BaseAddress };
        var query = $"/?id={deviceId}&lat=13.3&lon=103.3&timestamp={Seconds(Recent())}&key={Uri.EscapeDataString(secret)}";
        var get = await rest.GetAsync(query);
        Assert.NotEqual("application/problem+json", get.Content.Headers.ContentType?.MediaType);
        using var post = Form(query, $"id={deviceId}&lat=13.3&lon=103.3&timestamp={Seconds(Recent())}");
        _ = await rest.SendAsync(post);
        Assert.Equal(before, Count(await StatsAsync(), "sources", "osmand", "accepted"));
        Assert.Equal(JsonValueKind.Null, (await AssetAsync(assetId)).GetProperty("position").ValueKind);
    }

    [Fact]
    public async Task Over_the_address_or_device_rate_requests_answer_429_with_retry_after_and_are_counted()
    {
        var port = SiloEndpoints.FreePort();
        await using var silo = await TestSilo.StartAsync(null,
        [
            .. PhoneSiloFixture.PhoneArguments(port),
            "--Osmand:MaxRequestsPerSecondPerAddress=0.001", "--Osmand:RequestBurstPerAddress=6",
            "--Mqtt:MaxMessagesPerSecondPerDevice=0.001", "--Mqtt:MessageBurstPerDevice=2",
        ]);
        using var phone = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var a = TrackedAsset.NewId("phone");
        var b = TrackedAsset.NewId("phone");
        var secretA = await silo.ProvisionAsync(TrackedAsset.NewId("DU5-team"), a);
        var secretB = await silo.ProvisionAsync(TrackedAsset.NewId("DU5-team"), b);
        var t = Recent(5);

        async Task<HttpStatusCode> Fix(string id, string secret, int i, string extra = "")
        {
            using var response = await phone.GetAsync($"/?id={id}&key={Uri.EscapeDataString(secret)}&lat=13.3&lon=103.3&timestamp={Seconds(t.AddSeconds(i))}{extra}");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            }

            return response.StatusCode;
        }

        // Device a: a burst of 2, its third over its rate; its SOS still goes through (a bucket of its own, as an MQTT status
        // has). Then device b from the same address: the address's burst of 6 runs out.
        HttpStatusCode[] seen =
        [
            await Fix(a, secretA, 0), await Fix(a, secretA, 1), await Fix(a, secretA, 2), await Fix(a, secretA, 3, "&alarm=sos"),
            await Fix(b, secretB, 0), await Fix(b, secretB, 1), await Fix(b, secretB, 2),
        ];

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], seen);
        var stats = await silo.GetJsonAsync<JsonElement>("/api/ingest/stats");
        Assert.Equal(1, Count(stats, "rejected", "rate-limited"));
        Assert.Equal(1, Count(stats, "limits", "http-request-rate"));
        Assert.Equal(5, Count(stats, "sources", "osmand", "accepted"));
        Assert.Equal(1, stats.GetProperty("phoneSos").GetInt64());
    }
}
