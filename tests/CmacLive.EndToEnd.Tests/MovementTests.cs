using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Entering and leaving a hazard area end to end: fixes over MQTT with GPS jitter at the area's edge, the dashboard's
/// <c>assetEvent</c> over SignalR, and <c>GET /api/assets/{id}/events</c> from history.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class MovementTests(SiloFixture fixture)
{
    private static int s_plots;

    // Ground of its own, away from the other tests' areas.
    private readonly Ground _ground = new(260_000 + (3_000 * Interlocked.Increment(ref s_plots)), 1_460_000);

    private TestSilo Silo => fixture.Silo;

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(Ground.Ts(t));

    private async Task<string> PutAreaAsync(double x, double y, double width, double height)
    {
        var code = $"MV/CHA/CMAA/{Random.Shared.Next(10_000, 99_999)}{Interlocked.Increment(ref s_plots)}";
        await _ground.PutAreaAsync(Silo, code, x, y, width, height);
        return code;
    }

    private async Task FixAsync(TrackedAsset field, double x, DateTimeOffset ts)
    {
        var (lat, lon) = _ground.At(x, 50);
        var ack = await field.Tracker.PublishFixAsync(lat, lon, ts);
        Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());
    }

    [Fact]
    public async Task Jitter_at_an_edge_records_nothing_and_a_real_entry_and_exit_are_pushed_and_read_back_at_their_crossings_start()
    {
        var code = await PutAreaAsync(0, 0, 100, 100);
        await using var field = await TrackedAsset.StartAsync(Silo, unit: "DU5");
        await using var elsewhere = await HubProbe.ConnectAsync(Silo); // a dashboard focused on another unit
        await elsewhere.Connection.InvokeAsync("Focus", new[] { "DU9" });
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
        var t = t0;

        // Outside, then a minute on the edge, the GPS wandering 3 m either side: two fixes in, two out, 2 s apart.
        for (var i = 0; i < 5; i++, t = t.AddSeconds(2))
        {
            await FixAsync(field, -30, t);
        }

        for (var i = 0; i < 32; i++, t = t.AddSeconds(2))
        {
            await FixAsync(field, i % 4 < 2 ? 3 : -3, t);
        }

        // Really in (the last jitter fix was outside): 30 s inside, from here.
        var entered = t;
        for (var i = 0; i < 16; i++, t = t.AddSeconds(2))
        {
            await FixAsync(field, 40, t);
        }

        // Out again, with one step back inside within the dwell first, then for good.
        await FixAsync(field, -3, t);
        t = t.AddSeconds(2);
        await FixAsync(field, 3, t);
        t = t.AddSeconds(2);
        var left = t;
        for (var i = 0; i < 16; i++, t = t.AddSeconds(2))
        {
            await FixAsync(field, -30, t);
        }

        var seen = await field.Hub.CollectUntilAsync("assetEvent",
            e => e.GetProperty("assetId").GetString() == field.AssetId && e.GetProperty("kind").GetString() == "left", seconds: 15);
        seen.AddRange(await field.Hub.CollectAsync(TimeSpan.FromSeconds(1))); // nothing more comes
        var pushed = seen.Where(e => e.Event == "assetEvent" && e.Payload.GetProperty("assetId").GetString() == field.AssetId)
            .Select(e => e.Payload).ToList();
        Assert.Equal(["entered", "left"], pushed.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal([entered, left], pushed.Select(e => DateTimeOffset.Parse(e.GetProperty("at").GetString()!)));
        Assert.All(pushed, e =>
        {
            Assert.Equal(code, e.GetProperty("hazardArea").GetString());
            Assert.Equal("DU5", e.GetProperty("unit").GetString());
        });
        Assert.DoesNotContain(await elsewhere.CollectAsync(TimeSpan.FromMilliseconds(200)),
            e => e.Event == "assetEvent" && e.Payload.GetProperty("assetId").GetString() == field.AssetId);

        var events = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/events?from={Iso(t0.AddMinutes(-1))}&to={Iso(t.AddMinutes(1))}");
        var all = events.EnumerateArray().ToList();
        var movements = all.Where(e => e.GetProperty("kind").GetString() is "entered" or "left").ToList();
        Assert.Equal(["entered", "left"], movements.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal([entered, left], movements.Select(e => DateTimeOffset.Parse(e.GetProperty("at").GetString()!)));
        Assert.All(movements, e => Assert.Equal(code, e.GetProperty("hazardArea").GetString()));

        // Oldest first; the device came online with its first fix.
        var times = all.Select(e => DateTimeOffset.Parse(e.GetProperty("at").GetString()!)).ToList();
        Assert.Equal(times.Order(), times);
        Assert.Contains(all, e => e.GetProperty("kind").GetString() == "online" && DateTimeOffset.Parse(e.GetProperty("at").GetString()!) == t0);

        // A window before the entry holds neither.
        var before = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/events?from={Iso(t0)}&to={Iso(entered)}");
        Assert.DoesNotContain(before.EnumerateArray(), e => e.GetProperty("kind").GetString() is "entered" or "left");
    }

    [Fact]
    public async Task State_changes_the_assets_own_alerts_and_going_online_and_offline_are_among_its_events()
    {
        await using var field = await TrackedAsset.StartAsync(Silo, unit: "DU5");
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        await FixAsync(field, -500, t0);
        foreach (var (state, second) in new[] { ("working", 1), ("working", 2), ("resting", 3), ("sos", 4) })
        {
            var ack = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t0.AddSeconds(second))}}","state":"{{state}}"}""");
            Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());
        }

        await field.Hub.WaitForAsync("alertRaised", a => a.GetProperty("assetId").GetString() == field.AssetId);
        JsonElement[] events = [];
        for (var tries = 0; tries < 50 && !events.Any(e => e.GetProperty("kind").GetString() == "alert"); tries++)
        {
            await Task.Delay(100);
            events = [.. (await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/events")).EnumerateArray()];
        }

        // A status saying the state again is no change.
        var states = events.Where(e => e.GetProperty("kind").GetString() == "state").Select(e => e.GetProperty("detail").GetString());
        Assert.Equal(["working", "resting", "sos"], states);
        var alert = Assert.Single(events, e => e.GetProperty("kind").GetString() == "alert");
        Assert.Contains("SOS", alert.GetProperty("detail").GetString());

        // The SOS ends, so no other test's map shows it.
        var over = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t0.AddSeconds(5))}}","state":"resting"}""");
        Assert.True(over.IsSuccess, over.ReasonCode.ToString());
        await field.Hub.WaitForAsync("alertUpdated", a => a.GetProperty("assetId").GetString() == field.AssetId && a.GetProperty("clearedAt").ValueKind != JsonValueKind.Null);

        // The tracker loses power: offline at once, and so recorded, after it came online.
        field.Tracker.Drop();
        for (var tries = 0; tries < 100 && !events.Any(e => e.GetProperty("kind").GetString() == "offline"); tries++)
        {
            await Task.Delay(100);
            events = [.. (await Silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/events")).EnumerateArray()];
        }

        Assert.Equal(["online", "offline"], events.Select(e => e.GetProperty("kind").GetString()).Where(k => k is "online" or "offline"));
    }

    [Fact]
    public async Task A_bad_period_answers_400_naming_the_field_and_an_unknown_asset_404()
    {
        await using var field = await TrackedAsset.StartAsync(Silo);
        var now = DateTimeOffset.UtcNow;
        var cases = new (string Query, string Field)[]
        {
            ($"from={Iso(now)}&to={Iso(now.AddHours(-1))}", "from"),
            ($"from={Iso(now.AddDays(-32))}&to={Iso(now)}", "from"),
            ($"from={Iso(now.AddDays(-32))}&to={Iso(now)}", "to"),
            ("from=yesterday", "from"),
            ("to=12345", "to"),
            ("from=3000-01-01T00:00:00Z", "from"),
        };
        foreach (var (query, name) in cases)
        {
            var response = await Silo.Http.GetAsync($"/api/assets/{field.AssetId}/events?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(name, out _), $"{query}: {problem}");
        }

        var unknown = await Silo.Http.GetAsync("/api/assets/no-such-asset/events");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync($"/api/assets/{Uri.EscapeDataString("<script>")}/events")).StatusCode);
    }

    [Fact]
    public async Task A_period_holding_more_events_than_the_limit_is_refused_naming_from()
    {
        await using var silo = await TestSilo.StartAsync(dataFolder: null, "--Api:MaxAssetEvents=3");
        await using var field = await TrackedAsset.StartAsync(silo);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());
        Assert.True((await field.Tracker.PublishFixAsync(13.0, 103.0, t0)).IsSuccess);
        var states = new[] { "working", "resting" };
        for (var i = 1; i <= 2; i++)
        {
            var ack = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t0.AddSeconds(i))}}","state":"{{states[i - 1]}}"}""");
            Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());
        }

        // Three events (online, working, resting): within the limit.
        var three = await silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/events");
        Assert.Equal(["online", "state", "state"], three.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));

        var ack4 = await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t0.AddSeconds(3))}}","state":"standby"}""");
        Assert.True(ack4.IsSuccess, ack4.ReasonCode.ToString());
        var refused = await silo.Http.GetAsync($"/api/assets/{field.AssetId}/events");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("more than 3 events", problem.GetProperty("errors").GetProperty("from")[0].GetString());

        // A narrower period answers again.
        var narrow = await silo.GetJsonAsync<JsonElement>($"/api/assets/{field.AssetId}/events?from={Iso(t0.AddSeconds(2))}");
        Assert.Equal(["resting", "standby"], narrow.EnumerateArray().Select(e => e.GetProperty("detail").GetString()));

        // Status reports that only say the state again are no events, but more of them than the limit cannot be judged
        // whole: refused, never cut short.
        for (var i = 4; i <= 5; i++)
        {
            Assert.True((await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t0.AddSeconds(i))}}","state":"standby"}""")).IsSuccess);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await silo.Http.GetAsync($"/api/assets/{field.AssetId}/events?from={Iso(t0.AddSeconds(2))}")).StatusCode);
    }
}
