using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MQTTnet;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet.Formatter;
using Xunit.Abstractions;

namespace CmacLive.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class LivePathTests(SiloFixture fixture, ITestOutputHelper output)
{
    private TestSilo Silo => fixture.Silo;

    private static string NewId(string prefix) => TrackedAsset.NewId(prefix);

    [Fact]
    public async Task A_fix_published_over_mqtt_reaches_the_dashboard_as_assetUpdated_in_the_contract_shape()
    {
        await using var field = await TrackedAsset.StartAsync(Silo);

        var ts = DateTimeOffset.UtcNow.AddSeconds(-1);
        var watch = Stopwatch.StartNew();
        var ack = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/position",
            $$"""{"ts":"{{ts.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","lat":13.3633,"lon":102.9876,"acc":4.5,"alt":42.0,"spd":0.8,"hdg":90,"bat":81}""");
        Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());

        var update = await field.UpdateAsync();
        output.WriteLine($"fix to dashboard: {watch.ElapsedMilliseconds} ms");
        Assert.Equal(
            ["id", "kind", "name", "unit", "position", "state", "online", "battery", "lastSeen", "hazardArea", "taskArea", "capabilities", "dispatch"],
            update.EnumerateObject().Select(p => p.Name));
        Assert.Equal("team", update.GetProperty("kind").GetString());
        Assert.Equal("DU5", update.GetProperty("unit").GetString());
        Assert.True(update.GetProperty("online").GetBoolean());
        Assert.Equal(81, update.GetProperty("battery").GetInt32());
        var position = update.GetProperty("position");
        Assert.Equal(["lat", "lon", "acc", "alt", "spd", "hdg", "ts"], position.EnumerateObject().Select(p => p.Name));
        Assert.Equal(13.3633, position.GetProperty("lat").GetDouble());
        Assert.Equal(102.9876, position.GetProperty("lon").GetDouble());
        var expectedTs = ts.UtcDateTime.ToString(ts.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        Assert.Equal(expectedTs, position.GetProperty("ts").GetString());
        Assert.Equal(position.GetProperty("ts").GetString(), update.GetProperty("lastSeen").GetString());
    }

    [Fact]
    public async Task A_dashboard_that_asks_for_batches_gets_assets_as_arrays_by_its_focus_and_every_sos()
    {
        await using var du5 = await TrackedAsset.StartAsync(Silo, unit: "DU5");
        await using var du3 = await TrackedAsset.StartAsync(Silo, kind: "dog", unit: "DU3");
        await using var wall = await HubProbe.ConnectAsync(Silo, batched: true);
        await using var focused = await HubProbe.ConnectAsync(Silo, batched: true);
        await focused.Connection.InvokeAsync("Focus", new[] { "DU3" });

        var now = DateTimeOffset.UtcNow.AddSeconds(-10);
        await du5.Tracker.PublishFixAsync(13.21, 102.91, now);
        await du3.Tracker.PublishFixAsync(13.31, 102.93, now);
        static bool Has(JsonElement batch, TrackedAsset field, Func<JsonElement, bool> match) =>
            batch.EnumerateArray().Any(s => s.GetProperty("id").GetString() == field.AssetId && match(s));

        // Arrays of the contract's AssetStatus; a dashboard that did not ask still gets them one by one.
        await focused.WaitForAsync("assetsUpdated", b => Has(b, du3, s => HubProbe.Lat(s) == 13.31));
        await du5.UpdateAsync(s => HubProbe.Lat(s) == 13.21);

        // An asset of another unit never reaches the focused dashboard (its update is on the feed before the next one's)...
        await du5.Tracker.PublishFixAsync(13.22, 102.91, now.AddSeconds(1));
        await du3.Tracker.PublishFixAsync(13.32, 102.93, now.AddSeconds(1));
        var focusedSaw = await focused.CollectUntilAsync("assetsUpdated", b => Has(b, du3, s => HubProbe.Lat(s) == 13.32));
        Assert.DoesNotContain(focusedSaw, e => e.Event == "assetsUpdated" && Has(e.Payload, du5, _ => true));

        // ...but its SOS does, on its own, and its first update after the SOS.
        await du5.Tracker.PublishAsync($"cmac/v1/{du5.DeviceId}/status", $$"""{"ts":{{now.AddSeconds(2).ToUnixTimeMilliseconds()}},"state":"sos"}""");
        var sos = await focused.WaitForAsync("assetsUpdated", b => Has(b, du5, s => s.GetProperty("state").GetString() == "sos"));
        Assert.Single(sos.EnumerateArray());
        await du5.Tracker.PublishAsync($"cmac/v1/{du5.DeviceId}/status", $$"""{"ts":{{now.AddSeconds(3).ToUnixTimeMilliseconds()}},"state":"working"}""");
        await focused.WaitForAsync("assetsUpdated", b => Has(b, du5, s => s.GetProperty("state").GetString() == "working"));

        // The dashboard focused on nothing saw everything, only in arrays.
        var wallSaw = await wall.CollectUntilAsync("assetsUpdated", b => Has(b, du5, s => s.GetProperty("state").GetString() == "working"));
        Assert.DoesNotContain(wallSaw, e => e.Event == "assetUpdated");
        foreach (var (field, lat) in new[] { (du5, 13.21), (du3, 13.31), (du5, 13.22), (du3, 13.32) })
        {
            Assert.Contains(wallSaw, e => e.Event == "assetsUpdated" && Has(e.Payload, field, s => HubProbe.Lat(s) == lat));
        }
    }

    [Fact]
    public async Task The_live_status_is_answered_over_rest_after_a_fix()
    {
        await using var field = await TrackedAsset.StartAsync(Silo, kind: "dog", unit: "DU3");
        await field.Tracker.PublishFixAsync(13.1, 102.9, DateTimeOffset.UtcNow);
        await field.UpdateAsync();

        var status = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}");
        Assert.Equal("dog", status.GetProperty("kind").GetString());
        Assert.Equal(13.1, status.GetProperty("position").GetProperty("lat").GetDouble());
        var unit = await Silo.GetJsonAsync<JsonElement>("/api/assets?unit=du3");
        Assert.Contains(unit.EnumerateArray(), s => s.GetProperty("id").GetString() == field.AssetId);
    }

    [Fact]
    public async Task A_wrong_password_or_an_unknown_device_is_refused_at_connect()
    {
        var device = NewId("trk");
        await Silo.ProvisionAsync(NewId("DU5-EOD"), device);

        var (wrong, wrongResult) = await DeviceProbe.TryConnectAsync(Silo, device, "not-the-secret");
        await using (wrong)
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, wrongResult.ResultCode);
            Assert.False(wrong.Client.IsConnected);
        }

        var (unknown, unknownResult) = await DeviceProbe.TryConnectAsync(Silo, NewId("ghost"), "whatever-secret", MqttProtocolVersion.V311);
        await using (unknown)
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, unknownResult.ResultCode);
        }
    }

    [Fact]
    public async Task A_client_without_a_client_id_is_named_by_the_broker_over_mqtt_5_and_refused_over_3_1_1()
    {
        var device = NewId("trk");
        var secret = await Silo.ProvisionAsync(NewId("DU5-EOD"), device);

        var (v5, v5Result) = await DeviceProbe.TryConnectAsync(Silo, device, secret, MqttProtocolVersion.V500, clientId: "");
        await using (v5)
        {
            Assert.Equal(MqttClientConnectResultCode.Success, v5Result.ResultCode);
            Assert.StartsWith(device, v5Result.AssignedClientIdentifier);
        }

        var (v3, v3Result) = await DeviceProbe.TryConnectAsync(Silo, device, secret, MqttProtocolVersion.V311, clientId: "");
        await using (v3)
        {
            Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, v3Result.ResultCode);
        }
    }

    [Fact]
    public async Task A_publish_to_another_devices_topic_is_refused_and_counted()
    {
        var mine = NewId("trk");
        var theirs = NewId("trk");
        var theirAsset = NewId("DU5-EOD");
        var secret = await Silo.ProvisionAsync(NewId("DU5-EOD"), mine);
        await Silo.ProvisionAsync(theirAsset, theirs);
        var before = await ForbiddenCountAsync();
        await using var tracker = await DeviceProbe.ConnectAsync(Silo, mine, secret);

        var ack = await tracker.PublishAsync($"cmac/v1/{theirs}/position", DeviceProbe.Fix(13.2, 102.8, DateTimeOffset.UtcNow));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, ack.ReasonCode);
        Assert.Equal(before + 1, await ForbiddenCountAsync());
        var theirStatus = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{theirAsset}");
        Assert.Equal(JsonValueKind.Null, theirStatus.GetProperty("position").ValueKind);
        Assert.True(tracker.Client.IsConnected);
    }

    public static TheoryData<string, string, string> BadPayloads()
    {
        var now = DateTimeOffset.UtcNow;
        var iso = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        return new()
        {
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":13.3,", "malformed" },
            { "position", "[1,2,3]", "malformed" },
            { "position", "{\"ts\":\"" + iso + "\",\"lon\":102.9}", "malformed" },
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":\"13.3\",\"lon\":102.9}", "malformed" },
            { "position", "{\"ts\":\"yesterday\",\"lat\":13.3,\"lon\":102.9}", "malformed" },
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":1e400,\"lon\":102.9}", "out-of-range" },
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":95.0,\"lon\":102.9}", "out-of-range" },
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":13.3,\"lon\":-180.5}", "out-of-range" },
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":13.3,\"lon\":102.9,\"bat\":140}", "out-of-range" },
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":0,\"lon\":0}", "no-fix" },
            { "position", "{\"ts\":{future},\"lat\":13.3,\"lon\":102.9}", "future-time" },
            { "status", "{\"ts\":\"" + iso + "\",\"state\":\"\\ud800\"}", "malformed" },
            { "position", "{\"ts\":\"" + iso + "\",\"\\udc00\":1,\"lat\":13.3,\"lon\":102.9}", "malformed" },
            { "position", "{\"ts\":0,\"lat\":13.3,\"lon\":102.9}", "ancient-time" },
            { "position", "{\"ts\":\"" + iso + "\",\"lat\":13.3,\"lon\":102.9,\"pad\":\"" + new string('x', 17 * 1024) + "\"}", "too-large" },
            { "status", "{\"ts\":\"" + iso + "\",\"state\":\"dancing\"}", "malformed" },
            { "detection", "{\"ts\":\"" + iso + "\",\"lat\":13.3,\"lon\":102.9,\"sensor\":\"radar\"}", "malformed" },
            { "telemetry", "{\"ts\":\"" + iso + "\"}", "unknown-topic" },
        };
    }

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public async Task Each_bad_payload_is_rejected_and_counted_and_the_next_valid_fix_still_arrives(string topic, string payload, string reason)
    {
        var asset = NewId("DU5-EOD");
        var device = NewId("trk");
        var secret = await Silo.ProvisionAsync(asset, device);
        await using var hub = await HubProbe.ConnectAsync(Silo);
        foreach (var version in new[] { MqttProtocolVersion.V500, MqttProtocolVersion.V311 })
        {
            await using var tracker = await DeviceProbe.ConnectAsync(Silo, device, secret, version);
            var before = await RejectedCountAsync(reason);

            var ack = await tracker.PublishAsync($"cmac/v1/{device}/{topic}",
                payload.Replace("{future}", DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));

            if (version == MqttProtocolVersion.V500)
            {
                Assert.False(ack.IsSuccess, $"{reason} was acknowledged as {ack.ReasonCode}");
            }

            Assert.Equal(before + 1, await RejectedCountAsync(reason));
            Assert.True(tracker.Client.IsConnected);
            var lat = version == MqttProtocolVersion.V500 ? 13.31 : 13.32;
            await tracker.PublishFixAsync(lat, 102.91, DateTimeOffset.UtcNow);
            await hub.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == asset && HubProbe.Lat(s) == lat);
        }
    }

    [Fact]
    public async Task A_repeated_fix_is_applied_once_and_a_late_fix_never_moves_the_live_position_back()
    {
        await using var field = await TrackedAsset.StartAsync(Silo);
        var stats0 = await StatsAsync();
        var now = DateTimeOffset.UtcNow;

        await field.Tracker.PublishFixAsync(13.40, 102.90, now);
        await field.UpdateAsync();
        await field.Tracker.PublishFixAsync(13.40, 102.90, now);
        await field.Tracker.PublishFixAsync(13.39, 102.89, now.AddSeconds(-30));

        var stats1 = await StatsAsync();
        Assert.Equal(Accepted(stats0, "duplicate") + 1, Accepted(stats1, "duplicate"));
        Assert.Equal(Accepted(stats0, "late") + 1, Accepted(stats1, "late"));
        var status = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}");
        Assert.Equal(13.40, status.GetProperty("position").GetProperty("lat").GetDouble());
        var later = await field.Hub.CollectAsync(TimeSpan.FromMilliseconds(500));
        Assert.DoesNotContain(later, e => e.Payload.GetProperty("id").GetString() == field.AssetId);
    }

    [Fact]
    public async Task An_owntracks_location_moves_the_logged_in_devices_asset()
    {
        var asset = NewId("DU2-EOD");
        var device = NewId("phone");
        var secret = await Silo.ProvisionAsync(asset, device, unit: "DU2");
        await using var hub = await HubProbe.ConnectAsync(Silo);
        await using var phone = await DeviceProbe.ConnectAsync(Silo, device, secret, MqttProtocolVersion.V311);
        var tst = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        await phone.PublishAsync($"owntracks/{device}/pixel", $$"""{"_type":"location","lat":12.95,"lon":102.55,"tst":{{tst}},"acc":8,"batt":64,"vel":36}""");

        var update = await hub.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == asset && HubProbe.Lat(s) is not null);
        Assert.Equal(12.95, update.GetProperty("position").GetProperty("lat").GetDouble());
        Assert.Equal(10.0, update.GetProperty("position").GetProperty("spd").GetDouble(), 6);
        Assert.Equal(64, update.GetProperty("battery").GetInt32());
    }

    [Fact]
    public async Task A_status_report_sets_the_state_and_an_sos_is_pushed()
    {
        await using var field = await TrackedAsset.StartAsync(Silo);

        await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"state":"sos","bat":55}""");

        var update = await field.UpdateAsync(s => s.GetProperty("state").GetString() == "sos");
        Assert.Equal("sos", update.GetProperty("state").GetString());
        Assert.Equal(55, update.GetProperty("battery").GetInt32());
    }

    [Fact]
    public async Task A_fix_inside_a_hazard_area_names_the_area()
    {
        var code = $"BS/CHA/CMAA/{Random.Shared.Next(10000, 99999)}";
        var put = await Silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(code)}", new
        {
            type = "Feature",
            properties = new { type = "CHA", province = "Battambang" },
            geometry = new
            {
                type = "Polygon",
                coordinates = new[] { new[] { new[] { 102.60, 12.90 }, new[] { 102.61, 12.90 }, new[] { 102.61, 12.91 }, new[] { 102.60, 12.91 }, new[] { 102.60, 12.90 } } },
            },
        });
        put.EnsureSuccessStatusCode();
        await using var field = await TrackedAsset.StartAsync(Silo, unit: "DU4");

        await field.Tracker.PublishFixAsync(12.905, 102.605, DateTimeOffset.UtcNow.AddSeconds(-5));
        var inside = await field.UpdateAsync();
        Assert.Equal(code, inside.GetProperty("hazardArea").GetString());

        await field.Tracker.PublishFixAsync(12.92, 102.605, DateTimeOffset.UtcNow);
        var outside = await field.UpdateAsync(s => HubProbe.Lat(s) == 12.92);
        Assert.Equal(JsonValueKind.Null, outside.GetProperty("hazardArea").ValueKind);

        var area = await Silo.GetJsonAsync<JsonElement>($"/api/hazard-areas/{Uri.EscapeDataString(code)}");
        Assert.Equal("confirmed", area.GetProperty("status").GetString());
        Assert.InRange(area.GetProperty("areaM2").GetDouble(), 1_200_000, 1_215_000);
    }

    [Fact]
    public async Task An_ungraceful_disconnect_takes_the_asset_offline_at_once()
    {
        await using var field = await TrackedAsset.StartAsync(Silo);
        await field.Tracker.PublishFixAsync(13.35, 102.95, DateTimeOffset.UtcNow);
        await field.UpdateAsync(s => s.GetProperty("online").GetBoolean());

        field.Tracker.Drop();

        var offline = await field.UpdateAsync(s => !s.GetProperty("online").GetBoolean());
        Assert.Equal(13.35, offline.GetProperty("position").GetProperty("lat").GetDouble());
    }

    [Fact]
    public async Task Focus_narrows_a_dashboard_to_its_units()
    {
        var du1 = NewId("DU1-EOD");
        var du6 = NewId("DU6-EOD");
        var d1 = NewId("trk");
        var d6 = NewId("trk");
        var s1 = await Silo.ProvisionAsync(du1, d1, unit: "DU1");
        var s6 = await Silo.ProvisionAsync(du6, d6, unit: "DU6");
        await using var focused = await HubProbe.ConnectAsync(Silo);
        await focused.Connection.InvokeAsync("Focus", new[] { "du1" });
        await using var everything = await HubProbe.ConnectAsync(Silo);
        await using var t1 = await DeviceProbe.ConnectAsync(Silo, d1, s1);
        await using var t6 = await DeviceProbe.ConnectAsync(Silo, d6, s6);
        var now = DateTimeOffset.UtcNow.AddSeconds(-10);

        await t1.PublishFixAsync(13.0, 103.0, now.AddSeconds(-2));
        await everything.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == du1 && HubProbe.Lat(s) == 13.0);
        await t6.PublishFixAsync(13.1, 103.0, now.AddSeconds(-1));
        await everything.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == du6 && HubProbe.Lat(s) == 13.1);
        await t1.PublishFixAsync(13.2, 103.0, now); // a sentinel: once it arrives, anything for DU6 would have too
        await everything.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == du1 && HubProbe.Lat(s) == 13.2);

        var seen = await focused.CollectAsync(TimeSpan.FromMilliseconds(500));
        var mine = seen.Where(e => e.Event == "assetUpdated" && HubProbe.Lat(e.Payload) is not null).Select(e => e.Payload).ToList();
        Assert.Contains(mine, s => s.GetProperty("id").GetString() == du1 && HubProbe.Lat(s) == 13.2);
        Assert.DoesNotContain(mine, s => s.GetProperty("unit").GetString() != "DU1");

        // An SOS is for everyone: the DU1 dashboard sees DU6's alert and its asset in SOS, and the SOS end.
        await t6.PublishAsync($"cmac/v1/{d6}/status", $$"""{"ts":{{now.AddSeconds(1).ToUnixTimeMilliseconds()}},"state":"sos"}""");
        await focused.WaitForAsync("alertRaised", a => a.GetProperty("assetId").GetString() == du6 && a.GetProperty("severity").GetString() == "critical");
        await focused.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == du6 && s.GetProperty("state").GetString() == "sos");
        await t6.PublishAsync($"cmac/v1/{d6}/status", $$"""{"ts":{{now.AddSeconds(2).ToUnixTimeMilliseconds()}},"state":"working"}""");
        await focused.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == du6 && s.GetProperty("state").GetString() == "working");

        await focused.Connection.InvokeAsync("Focus", Array.Empty<string>());
        await t6.PublishFixAsync(13.3, 103.0, DateTimeOffset.UtcNow);
        await focused.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == du6 && HubProbe.Lat(s) == 13.3);
    }

    [Fact]
    public async Task The_hub_accepts_the_token_as_access_token_in_the_query()
    {
        using var anonymous = new HttpClient { BaseAddress = Silo.BaseAddress };
        var ok = await anonymous.PostAsync($"/hubs/ops/negotiate?negotiateVersion=1&access_token={TestSilo.Token}", null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var wrong = await anonymous.PostAsync("/hubs/ops/negotiate?negotiateVersion=1&access_token=not-the-token", null);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var elsewhere = await anonymous.GetAsync($"/api/assets?access_token={TestSilo.Token}");
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
    }

    [Fact]
    public async Task A_device_cannot_take_another_devices_client_id_or_subscribe_to_its_downlink()
    {
        var a = NewId("trk");
        var b = NewId("trk");
        var secretA = await Silo.ProvisionAsync(NewId("DU5-EOD"), a);
        var secretB = await Silo.ProvisionAsync(NewId("DU5-EOD"), b);
        await using var first = await DeviceProbe.ConnectAsync(Silo, a, secretA);

        var (thief, result) = await DeviceProbe.TryConnectAsync(Silo, b, secretB, clientId: a);
        await using (thief)
        {
            Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, result.ResultCode);
        }

        Assert.True(first.Client.IsConnected);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var own = await first.Client.SubscribeAsync($"cmac/v1/{a}/cmd", cancellationToken: timeout.Token);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, own.Items.Single().ResultCode);
        var others = await first.Client.SubscribeAsync($"cmac/v1/{b}/cmd", cancellationToken: timeout.Token);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, others.Items.Single().ResultCode);
        var everything = await first.Client.SubscribeAsync("#", cancellationToken: timeout.Token);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, everything.Items.Single().ResultCode);
    }

    [Fact]
    public async Task A_detection_keeps_the_asset_alive_and_moves_last_seen()
    {
        await using var field = await TrackedAsset.StartAsync(Silo, kind: "rat", unit: "DU2");
        var now = DateTimeOffset.UtcNow;
        await field.Tracker.PublishFixAsync(13.0, 103.0, now.AddSeconds(-10));
        await field.UpdateAsync();

        var ack = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/detection",
            $$"""{"ts":{{now.ToUnixTimeMilliseconds()}},"lat":13.0,"lon":103.0,"sensor":"rat","depthCm":12}""");

        Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());
        var update = await field.UpdateAsync(s => s.GetProperty("lastSeen").GetDateTimeOffset() == DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()));
        Assert.True(update.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task Rest_and_hub_without_a_token_answer_401_problem_json()
    {
        using var anonymous = new HttpClient { BaseAddress = Silo.BaseAddress };
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/api/assets"),
            new HttpRequestMessage(HttpMethod.Get, "/api/assets/DU5-EOD-01"),
            new HttpRequestMessage(HttpMethod.Put, "/api/devices/x") { Content = JsonContent("{}") },
            new HttpRequestMessage(HttpMethod.Get, "/api/ingest/stats"),
        })
        {
            var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/assets");
        wrong.Headers.Authorization = new("Bearer", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(wrong)).StatusCode);

        await Assert.ThrowsAnyAsync<Exception>(async () => await HubProbe.ConnectAsync(Silo, token: null));
        await Assert.ThrowsAnyAsync<Exception>(async () => await HubProbe.ConnectAsync(Silo, token: "not-the-token"));
    }

    [Fact]
    public async Task A_new_secret_or_a_deletion_closes_the_devices_open_sessions_and_the_old_secret_no_longer_connects()
    {
        var asset = NewId("DU5-REV");
        var device = NewId("trk-rev");
        var secret = await Silo.ProvisionAsync(asset, device);
        await using var first = await DeviceProbe.ConnectAsync(Silo, device, secret);
        var closed = Closed(first);

        // A new secret: the session opened with the old one is closed within 2 s, and the old secret is refused.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutJsonAsync($"/api/devices/{device}", new { assetId = asset, kind = "tracker", secret = "the-new-secret" })).StatusCode);
        await closed.WaitAsync(TimeSpan.FromSeconds(2) - watch.Elapsed);
        var (stale, staleResult) = await DeviceProbe.TryConnectAsync(Silo, device, secret);
        await using (stale)
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, staleResult.ResultCode);
        }

        // A session opened with the new secret stays open.
        await using var second = await DeviceProbe.ConnectAsync(Silo, device, "the-new-secret");
        var secondClosed = Closed(second);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True(second.Client.IsConnected);
        Assert.True((await second.PublishFixAsync(13.1, 103.1, DateTimeOffset.UtcNow)).IsSuccess);

        // Deleted: closed within 2 s, cannot connect again, gone.
        watch.Restart();
        Assert.Equal(HttpStatusCode.NoContent, (await Silo.Http.DeleteAsync($"/api/devices/{device}")).StatusCode);
        await secondClosed.WaitAsync(TimeSpan.FromSeconds(2) - watch.Elapsed);
        var (gone, goneResult) = await DeviceProbe.TryConnectAsync(Silo, device, "the-new-secret");
        await using (gone)
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, goneResult.ResultCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync($"/api/devices/{device}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.DeleteAsync($"/api/devices/{device}")).StatusCode);
    }

    /// <summary>Completes when the broker closes the device's connection.</summary>
    internal static Task Closed(DeviceProbe device)
    {
        var closed = new TaskCompletionSource();
        device.Client.DisconnectedAsync += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_refused_with_413_whether_it_has_a_length_or_is_chunked()
    {
        const int Size = 20 * 1024 * 1024;

        // With a length: refused before a byte of it is sent (the client waits for the go-ahead, 100-continue).
        using (var request = new HttpRequestMessage(HttpMethod.Put, "/api/assets/DU5-HUGE") { Content = new ByteArrayContent(new byte[Size]) })
        {
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.ExpectContinue = true;
            var response = await Silo.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Chunked: refused once 1 MiB has been read, long before the 20 MB are; the silo answers 413 and ends the
        // connection, which the client sees as the answer or as the connection closing under its feet.
        var body = new CountingStream(Size);
        using (var request = new HttpRequestMessage(HttpMethod.Put, "/api/assets/DU5-HUGE") { Content = new StreamContent(body, 64 * 1024) })
        {
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
            try
            {
                var response = await Silo.Http.SendAsync(request);
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
            catch (HttpRequestException ex) when (ex.InnerException is IOException)
            {
            }
        }

        Assert.True(body.Sent < Size / 2, $"{body.Sent} bytes of the chunked body were taken before the refusal");

        // Just under the limit is read (and refused for what it says, not for its size); the silo answers on.
        var padded = "{\"kind\":\"team\",\"name\":\"x\",\"unit\":\"DU5\"" + new string(' ', 1024 * 1024 - 100) + "}";
        var fits = await Silo.Http.PutAsync("/api/assets/DU5-PADDED", new StringContent(padded, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.GetAsync("/api/assets/DU5-PADDED")).StatusCode);
    }

    [Fact]
    public async Task Bad_rest_input_answers_400_problem_json_naming_the_field()
    {
        var cases = new (string Path, string Body, string Field)[]
        {
            ("/api/assets/DU5-EOD-09", """{"kind":"robot","name":"x","unit":"DU5"}""", "kind"),
            ("/api/assets/DU5-EOD-09", """{"kind":"team","unit":"DU5"}""", "name"),
            ("/api/assets/DU5-EOD-09", "{not json", "body"),
            ("/api/assets/bad%20id", """{"kind":"team","name":"x","unit":"DU5"}""", "id"),
            ("/api/devices/trk-x", """{"assetId":"no-such-asset","kind":"tracker","secret":"long-enough"}""", "assetId"),
            ("/api/devices/trk-x", """{"assetId":"no-such-asset","kind":"tracker","secret":"short"}""", "secret"),
            ("/api/devices/trk%2Bx", """{"assetId":"a","kind":"tracker","secret":"long-enough"}""", "deviceId"),
            ("/api/hazard-areas/BS%2FSHA%2F1", """{"type":"Feature","properties":{"type":"XYZ"},"geometry":{"type":"Polygon","coordinates":[[[102.6,12.9],[102.61,12.9],[102.61,12.91],[102.6,12.9]]]}}""", "properties.type"),
            ("/api/hazard-areas/BS%2FSHA%2F1", """{"type":"Feature","properties":{"type":"SHA"},"geometry":{"type":"Polygon","coordinates":[[[102.6,12.9],[102.61,12.91],[102.61,12.9],[102.6,12.91],[102.6,12.9]]]}}""", "geometry"),
            ("/api/hazard-areas/BS%2FSHA%2F1", """{"type":"Feature","properties":{"type":"SHA"},"geometry":{"type":"Polygon","coordinates":[[[102.6,12.9],[102.61,12.9],[102.61,12.91],[102.6,12.91]]]}}""", "geometry"),
            ("/api/hazard-areas/BS%2FSHA%2F1", """{"type":"Feature","properties":{"type":"SHA"},"geometry":{"type":"Point","coordinates":[102.6,12.9]}}""", "geometry"),
            ("/api/hazard-areas/BS%2FSHA%2F1", """{"type":"Feature","properties":{"type":"SHA"},"geometry":{"type":"Polygon","coordinates":[[[402.6,12.9],[402.61,12.9],[402.61,12.91],[402.6,12.9]]]}}""", "geometry"),
        };
        foreach (var (path, body, field) in cases)
        {
            var response = await Silo.Http.PutAsync(path, JsonContent(body));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{path} {body}: {problem}");
        }

        var missing = await Silo.Http.GetAsync("/api/hazard-areas/BS%2FSHA%2F1");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_asset_id_keeps_its_kind()
    {
        var asset = NewId("DU5-MDD");
        Assert.True((await Silo.PutJsonAsync($"/api/assets/{asset}", new { kind = "dog", name = "Rex", unit = "DU5" })).IsSuccessStatusCode);
        var again = await Silo.PutJsonAsync($"/api/assets/{asset}", new { kind = "dog", name = "Rex II", unit = "DU4" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var conflict = await Silo.PutJsonAsync($"/api/assets/{asset}", new { kind = "rat", name = "Rex", unit = "DU5" });
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var du4 = await Silo.GetJsonAsync<JsonElement>("/api/assets?unit=DU4");
        Assert.Contains(du4.EnumerateArray(), s => s.GetProperty("id").GetString() == asset && s.GetProperty("name").GetString() == "Rex II");
        var du5 = await Silo.GetJsonAsync<JsonElement>("/api/assets?unit=DU5");
        Assert.DoesNotContain(du5.EnumerateArray(), s => s.GetProperty("id").GetString() == asset);
    }

    private static StringContent JsonContent(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private async Task<JsonElement> StatsAsync() => await Silo.GetJsonAsync<JsonElement>("/api/ingest/stats");

    private static long Accepted(JsonElement stats, string outcome) => stats.GetProperty("accepted").GetProperty(outcome).GetInt64();

    private async Task<long> RejectedCountAsync(string reason) =>
        (await StatsAsync()).GetProperty("rejected").GetProperty(reason).GetInt64();

    private Task<long> ForbiddenCountAsync() => RejectedCountAsync("forbidden");
}

/// <summary>A body of spaces of a given size that counts how much of it the client has taken to send.</summary>
internal sealed class CountingStream(long size) : Stream
{
    public long Sent { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Sent; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, size - Sent);
        Array.Fill(buffer, (byte)' ', offset, n);
        Sent += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
