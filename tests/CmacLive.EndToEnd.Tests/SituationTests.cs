using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The situation at a glance against a silo of its own (a routine request is overdue after 5 s there): assets over MQTT,
/// an SOS, an area put and released, and a request move <c>GET /api/situation?unit=</c> exactly, and a dashboard focused on the unit gets
/// <c>situationUpdated</c> with the new counts within about 2 s, never more than once a second.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class SituationTests(SiloFixture fixture)
{
    private static readonly string[] Settings = ["--Dispatch:OnSiteTarget:Routine=00:00:05", "--Dispatch:EscalationCheck=00:00:02"];

    private static string NewUnit() => "SIT" + Random.Shared.Next(100_000, 999_999);

    private static async Task<JsonElement> SituationAsync(ISiloEndpoint silo, string unit) =>
        await silo.GetJsonAsync<JsonElement>($"/api/situation?unit={unit}");

    /// <summary>Reads the unit's situation until <paramref name="match"/> holds (the feed is asynchronous), failing after 10 s.</summary>
    private static async Task<JsonElement> SituationWhenAsync(ISiloEndpoint silo, string unit, Func<JsonElement, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var situation = await SituationAsync(silo, unit);
            if (match(situation))
            {
                return situation;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"situation never matched: {situation}");
            await Task.Delay(100);
        }
    }

    private static int At(JsonElement situation, string part, string counts, string name) =>
        situation.GetProperty(part).GetProperty(counts).GetProperty(name).GetInt32();

    private static async Task PublishAsync(TrackedAsset asset, string state, DateTimeOffset ts)
    {
        Assert.True((await asset.Tracker.PublishFixAsync(11.5, 102.6, ts)).IsSuccess);
        Assert.True((await asset.Tracker.PublishAsync($"cmac/v1/{asset.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(ts.AddSeconds(1))}}","state":"{{state}}"}""")).IsSuccess);
    }

    [Fact]
    public async Task Assets_an_sos_an_area_and_a_request_move_the_units_situation_exactly_and_a_focused_dashboard_gets_it_once_a_second_at_most()
    {
        await using var silo = await TestSilo.StartAsync(null, Settings);
        var unit = NewUnit();
        var other = NewUnit();

        // Dashboards: one focused on the unit, one on a unit where nothing happens.
        await using var dashboard = await HubProbe.ConnectAsync(silo);
        await using var elsewhere = await HubProbe.ConnectAsync(silo);
        var pushes = new ConcurrentQueue<(TimeSpan At, JsonElement Situation)>();
        var quiet = new ConcurrentQueue<JsonElement>();
        var clock = Stopwatch.StartNew();
        dashboard.Connection.On<JsonElement>("situationUpdated", s => pushes.Enqueue((clock.Elapsed, s)));
        elsewhere.Connection.On<JsonElement>("situationUpdated", quiet.Enqueue);
        await dashboard.Connection.InvokeAsync("Focus", new[] { unit.ToLowerInvariant() });
        await elsewhere.Connection.InvokeAsync("Focus", new[] { other });

        var empty = await SituationAsync(silo, unit.ToLowerInvariant());
        Assert.Equal([unit], empty.GetProperty("units").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(0, empty.GetProperty("assets").GetProperty("byKind").EnumerateObject().Sum(k => k.Value.GetInt32()));
        Assert.Equal(["team", "machine", "dog", "rat"], empty.GetProperty("assets").GetProperty("byKind").EnumerateObject().Select(k => k.Name));
        Assert.Equal(["info", "warning", "high", "critical"], empty.GetProperty("alerts").GetProperty("openBySeverity").EnumerateObject().Select(k => k.Name));
        Assert.Equal(["emergency", "high", "routine"], empty.GetProperty("requests").GetProperty("openByPriority").EnumerateObject().Select(k => k.Name));
        Assert.Equal(0, empty.GetProperty("finds").GetProperty("today").GetInt32());

        // Two assets registered: offline until they report.
        await using var team = await TrackedAsset.StartAsync(silo, "team", unit);
        await using var dog = await TrackedAsset.StartAsync(silo, "dog", unit);
        var registered = await SituationWhenAsync(silo, unit, s => s.GetProperty("assets").GetProperty("offline").GetInt32() == 2);
        Assert.Equal(1, At(registered, "assets", "byKind", "team"));
        Assert.Equal(1, At(registered, "assets", "byKind", "dog"));
        Assert.Equal(0, registered.GetProperty("assets").GetProperty("online").GetInt32());

        // Fixes and states over MQTT.
        var t = DateTimeOffset.UtcNow.AddSeconds(-30);
        await PublishAsync(team, "working", t);
        await PublishAsync(dog, "resting", t);
        var working = await SituationWhenAsync(silo, unit, s => s.GetProperty("assets").GetProperty("online").GetInt32() == 2
            && At(s, "assets", "byState", "working") == 1 && At(s, "assets", "byState", "resting") == 1);
        Assert.Equal(0, working.GetProperty("assets").GetProperty("offline").GetInt32());
        Assert.Equal(2, working.GetProperty("assets").GetProperty("byState").EnumerateObject().Sum(k => k.Value.GetInt32()));

        // An SOS: the team leaves working for sos, and a critical alert opens for the unit; the dashboard hears it soon.
        var sosAt = clock.Elapsed;
        Assert.True((await team.Tracker.PublishAsync($"cmac/v1/{team.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t.AddSeconds(5))}}","state":"sos"}""")).IsSuccess);
        var sos = await SituationWhenAsync(silo, unit, s => At(s, "assets", "byState", "sos") == 1 && At(s, "alerts", "openBySeverity", "critical") == 1);
        Assert.Equal(0, At(sos, "assets", "byState", "working"));
        Assert.Equal(1, At(sos, "assets", "byState", "resting"));
        Assert.Equal(1, sos.GetProperty("alerts").GetProperty("openBySeverity").EnumerateObject().Sum(k => k.Value.GetInt32()));
        var heard = await PushedAsync(pushes, s => At(s, "assets", "byState", "sos") == 1 && At(s, "alerts", "openBySeverity", "critical") == 1);
        Assert.True(heard.At - sosAt < TimeSpan.FromSeconds(2.5), $"situationUpdated came {(heard.At - sosAt).TotalSeconds:0.00} s after the SOS");
        Assert.Equal([unit], heard.Situation.GetProperty("units").EnumerateArray().Select(u => u.GetString()));

        // An area of the unit, confirmed; its file names the unit in lower case, and it is the same unit.
        var code = $"SIT/CHA/{Random.Shared.Next(10_000, 99_999)}";
        var ring = new[] { new[] { 102.6, 11.5 }, new[] { 102.601, 11.5 }, new[] { 102.601, 11.501 }, new[] { 102.6, 11.5 } };
        var put = await silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(code)}", new
        {
            type = "Feature",
            properties = new { code, type = "CHA", province = "Pailin", unit = unit.ToLowerInvariant() },
            geometry = new { type = "Polygon", coordinates = new[] { ring } },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(unit, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unit").GetString());
        await SituationWhenAsync(silo, unit, s => At(s, "areas", "byStatus", "confirmed") == 1);

        // Released by technical survey, 300 m² reduced: the area moves to released and the day's released ground is exact.
        var released = await silo.Http.PostAsJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(code)}/status",
            new { status = "released", outcome = new { cancelledM2 = 0, reducedM2 = 300, clearedM2 = 0 } });
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var afterRelease = await SituationWhenAsync(silo, unit, s => At(s, "areas", "byStatus", "released") == 1
            && s.GetProperty("areas").GetProperty("releasedTodayM2").GetDouble() > 0);
        Assert.Equal(0, At(afterRelease, "areas", "byStatus", "confirmed"));
        Assert.Equal(300, afterRelease.GetProperty("areas").GetProperty("releasedTodayM2").GetDouble());
        Assert.Equal(0, afterRelease.GetProperty("areas").GetProperty("searchedTodayM2").GetDouble());

        // A routine request for the unit: open, then overdue (no team on site within 5 s here).
        var filed = await silo.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat = 11.6, lon = 102.7, found = "uxo", unit });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        Assert.Equal("routine", (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("priority").GetString());
        var open = await SituationWhenAsync(silo, unit, s => At(s, "requests", "openByPriority", "routine") == 1);
        Assert.Equal(0, At(open, "requests", "openByPriority", "emergency") + At(open, "requests", "openByPriority", "high"));
        var overdue = await SituationWhenAsync(silo, unit, s => s.GetProperty("requests").GetProperty("overdue").GetInt32() == 1);
        Assert.Equal(1, At(overdue, "requests", "openByPriority", "routine"));
        Assert.Equal(1, At(overdue, "alerts", "openBySeverity", "critical")); // the SOS still
        Assert.Equal(1, At(overdue, "alerts", "openBySeverity", "high")); // the overdue request's alert
        await PushedAsync(pushes, s => s.GetProperty("requests").GetProperty("overdue").GetInt32() == 1
            && s.GetProperty("areas").GetProperty("releasedTodayM2").GetDouble() == 300);

        // The whole cluster counts the unit too.
        var all = await silo.GetJsonAsync<JsonElement>("/api/situation");
        Assert.Empty(all.GetProperty("units").EnumerateArray());
        Assert.True(At(all, "assets", "byState", "sos") >= 1);
        Assert.True(all.GetProperty("requests").GetProperty("overdue").GetInt32() >= 1);

        // Never more than once a second to the focused dashboard; the dashboard focused elsewhere had its one situation, unchanged since.
        await Task.Delay(1500);
        var times = pushes.Select(p => p.At).ToList();
        Assert.True(times.Count >= 3, $"only {times.Count} pushes");
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.True(g > TimeSpan.FromMilliseconds(850), $"two situationUpdated {g.TotalMilliseconds:0} ms apart"));
        var seenElsewhere = Assert.Single(quiet);
        Assert.Equal(0, seenElsewhere.GetProperty("assets").GetProperty("byKind").EnumerateObject().Sum(k => k.Value.GetInt32()));
    }

    [Fact]
    public async Task Reads_of_every_asset_each_second_beside_a_busy_feed_leave_the_counts_exact()
    {
        // A silo process of its own: its counters are its own (silos in this process share meters by name).
        await using var silo = await SiloProcess.StartAsync("reconcile",
            [$"--Storage:ConnectionString=Data Source={Path.Combine(TestSilo.NewDataFolder(), "cmaclive.db")}", "--Situation:ReconcilePeriod=00:00:01"]);
        var unit = NewUnit();
        string[] states = ["working", "resting", "travelling", "standby"];
        var assets = new List<TrackedAsset>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                assets.Add(await TrackedAsset.StartAsync(silo, i % 2 == 0 ? "team" : "dog", unit));
            }

            var before = await RereadsAsync(silo);

            // Each asset changes state 20 times as fast as it can while the silo reads everything again every second; asset i
            // ends in states[i].
            var t = DateTimeOffset.UtcNow.AddSeconds(-60);
            await Task.WhenAll(assets.Select(async (asset, i) =>
            {
                Assert.True((await asset.Tracker.PublishFixAsync(11.5, 102.6, t)).IsSuccess);
                for (var n = 1; n <= 20; n++)
                {
                    var state = states[(i + n) % states.Length];
                    Assert.True((await asset.Tracker.PublishAsync($"cmac/v1/{asset.DeviceId}/status",
                        $$"""{"ts":"{{Ground.Ts(t.AddSeconds(n))}}","state":"{{state}}"}""")).IsSuccess);
                    await Task.Delay(Random.Shared.Next(0, 150));
                }
            }));

            bool Exact(JsonElement s) => s.GetProperty("assets").GetProperty("online").GetInt32() == 4
                && states.All(state => At(s, "assets", "byState", state) == 1);
            await SituationWhenAsync(silo, unit, Exact);

            // And they stay so through more reads.
            var reads = await RereadsAsync(silo);
            var clock = Stopwatch.StartNew();
            while (await RereadsAsync(silo) < reads + 2)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the silo stopped reading every asset again");
                Assert.True(Exact(await SituationAsync(silo, unit)), (await SituationAsync(silo, unit)).ToString());
                await Task.Delay(200);
            }

            Assert.True(Exact(await SituationAsync(silo, unit)), (await SituationAsync(silo, unit)).ToString());
            Assert.True(reads > before, "no read happened during the churn");
        }
        finally
        {
            foreach (var asset in assets)
            {
                await asset.DisposeAsync();
            }
        }
    }

    private static async Task<double> RereadsAsync(SiloProcess silo)
    {
        var scrape = await silo.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        return PrometheusText.Parse(await scrape.Content.ReadAsStringAsync()).Sum("cmaclive_situation_reread_total");
    }

    [Theory]
    [InlineData("00:00:00.500")]
    [InlineData("-00:01:00")]
    [InlineData("2.00:00:00")]
    public async Task A_reconcile_period_under_a_second_or_over_a_day_stops_the_silo_at_start_naming_it(string period)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestSilo.StartAsync(dataFolder: null, $"--Situation:ReconcilePeriod={period}"));
        Assert.Contains("ReconcilePeriod", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<(TimeSpan At, JsonElement Situation)> PushedAsync(ConcurrentQueue<(TimeSpan At, JsonElement Situation)> pushes, Func<JsonElement, bool> match)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (pushes.FirstOrDefault(p => match(p.Situation)) is { Situation.ValueKind: JsonValueKind.Object } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no matching situationUpdated among {pushes.Count}");
    }

    [Theory]
    [InlineData("DU5;DROP")]
    [InlineData("../DU5")]
    [InlineData("<script>")]
    [InlineData("DU 5")]
    [InlineData("ប៉ៃលិន")]
    [InlineData("DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5DU5")]
    public async Task A_unit_that_is_no_unit_code_is_refused_naming_unit(string unit)
    {
        var answer = await fixture.Silo.Http.GetAsync($"/api/situation?unit={Uri.EscapeDataString(unit)}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["unit"], (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task A_unit_code_that_names_no_unit_counts_zeros_and_a_blank_unit_means_every_unit()
    {
        var none = await fixture.Silo.GetJsonAsync<JsonElement>("/api/situation?unit=" + NewUnit());
        Assert.Equal(0, none.GetProperty("assets").GetProperty("online").GetInt32() + none.GetProperty("assets").GetProperty("offline").GetInt32());
        Assert.Equal(0, none.GetProperty("requests").GetProperty("overdue").GetInt32());
        var blank = await fixture.Silo.GetJsonAsync<JsonElement>("/api/situation?unit=%20");
        Assert.Empty(blank.GetProperty("units").EnumerateArray());
    }
}
