using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CmacLive.Testing;
using CmacLive.Validation;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Closed alerts go to history: the ledger keeps only the newest <c>Alerts:ClosedKept</c> at hand (2 here, 1,000 by
/// default), and <c>GET /api/alerts?from=&amp;to=</c> reads every one back from history with its trail, on SQLite and on
/// PostgreSQL.
/// </summary>
public sealed class AlertHistoryTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Closed_alerts_beyond_the_ledgers_recent_ones_are_read_back_from_history_with_their_trails(string storage)
    {
        var folder = TestSilo.NewDataFolder();
        string[] settings = storage == "postgres"
            ? [.. SiloProcess.OnPostgres(await TestPostgres.CreateDatabaseAsync("cmac_alert_history")), "--Alerts:ClosedKept=2"]
            : [$"--Storage:ConnectionString=Data Source={Path.Combine(folder, "cmaclive.db")}", "--Alerts:ClosedKept=2"];
        await using var silo = await SiloProcess.StartAsync("alert-history", settings);
        try
        {
            // An asset id as long as ids may be (64): its alerts' ids are longer than history's device column.
            var assetId = $"DU2-AH-{Guid.NewGuid():N}".PadRight(InputLimits.Id, 'X');
            var deviceId = TrackedAsset.NewId("trk-ah");
            var secret = await silo.ProvisionAsync(assetId, deviceId, unit: "DU2");
            await using var device = await DeviceProbe.ConnectAsync(silo, deviceId, secret);
            var t0 = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeMilliseconds());
            Assert.True((await device.PublishFixAsync(12.8, 102.8, t0)).IsSuccess);

            // Four SOS episodes, each cleared by the device and acknowledged by the duty officer: four closed alerts.
            var ids = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                var sos = t0.AddSeconds(10 * (i + 1));
                Assert.True((await device.PublishAsync($"cmac/v1/{deviceId}/status", Status("sos", sos))).IsSuccess);
                Assert.True((await device.PublishAsync($"cmac/v1/{deviceId}/status", Status("working", sos.AddSeconds(2)))).IsSuccess);
                var id = $"sos-{assetId}-{sos.ToUnixTimeMilliseconds()}";
                await WaitAsync(silo, id, a => a.GetProperty("clearedAt").ValueKind == JsonValueKind.String);
                var ack = await silo.Http.PostAsJsonAsync($"/api/alerts/{Uri.EscapeDataString(id)}/ack", new { note = $"episode {i}: false alarm" });
                Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
                ids.Add(id);
            }

            // The ledger's list keeps the newest two closed ones only.
            var recent = await silo.GetJsonAsync<JsonElement>("/api/alerts");
            Assert.Equal(ids[2..].AsEnumerable().Reverse(), recent.EnumerateArray().Select(a => a.GetProperty("id").GetString()!).Where(ids.Contains));

            // History has every one, newest first, each with its whole trail.
            var from = Uri.EscapeDataString(WireTime.Of(t0.AddMinutes(-1)));
            var all = await silo.GetJsonAsync<JsonElement>($"/api/alerts?from={from}");
            Assert.Equal(ids.AsEnumerable().Reverse(), all.EnumerateArray().Select(a => a.GetProperty("id").GetString()!));
            foreach (var (alert, i) in all.EnumerateArray().Reverse().Select((a, i) => (a, i)))
            {
                Assert.Equal(["raised", "cleared", "acknowledged"], alert.GetProperty("trail").EnumerateArray().Select(s => s.GetProperty("action").GetString()));
                Assert.Equal($"episode {i}: false alarm", alert.GetProperty("trail")[2].GetProperty("note").GetString());
                Assert.Equal(("sos", "critical", assetId, false), (alert.GetProperty("kind").GetString(), alert.GetProperty("severity").GetString(),
                    alert.GetProperty("assetId").GetString(), alert.GetProperty("isOpen").GetBoolean()));
                Assert.Equal(ids[i], alert.GetProperty("id").GetString());
            }

            // The asset's own events have each alert as it was raised, and history took every write.
            var events = await silo.GetJsonAsync<JsonElement>($"/api/assets/{assetId}/events?from={from}");
            Assert.Equal(4, events.EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "alert"));
            Assert.Contains("Healthy", await silo.Http.GetStringAsync("/health"));

            // A period before them holds none of them; an open one raised in the period is there too.
            var before = await silo.GetJsonAsync<JsonElement>($"/api/alerts?from={from}&to={Uri.EscapeDataString(WireTime.Of(t0))}");
            Assert.DoesNotContain(before.EnumerateArray(), a => ids.Contains(a.GetProperty("id").GetString()!));
            var open = t0.AddSeconds(55);
            Assert.True((await device.PublishAsync($"cmac/v1/{deviceId}/status", Status("sos", open))).IsSuccess);
            var openId = $"sos-{assetId}-{open.ToUnixTimeMilliseconds()}";
            await WaitAsync(silo, openId, _ => true);
            var withOpen = await silo.GetJsonAsync<JsonElement>($"/api/alerts?from={from}");
            Assert.Equal(openId, withOpen[0].GetProperty("id").GetString());
            Assert.True(withOpen[0].GetProperty("isOpen").GetBoolean());

            // Hostile queries: each named.
            await AssertRefusedAsync(silo, "/api/alerts?from=yesterday", "from");
            await AssertRefusedAsync(silo, "/api/alerts?to=1999-12-31", "to");
            await AssertRefusedAsync(silo, "/api/alerts?from=2020-01-01&to=2022-01-01", "from", "to");
            await AssertRefusedAsync(silo, $"/api/alerts?open=true&from={from}", "open");
            await AssertRefusedAsync(silo, $"/api/alerts?from={from}&to={from}", "from");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Status(string state, DateTimeOffset ts) => $$"""{"ts":"{{WireTime.Of(ts)}}","state":"{{state}}"}""";

    private static async Task WaitAsync(SiloProcess silo, string id, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var answer = await silo.Http.GetAsync($"/api/alerts/{Uri.EscapeDataString(id)}");
            if (answer.IsSuccessStatusCode && done(await answer.Content.ReadFromJsonAsync<JsonElement>()))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"alert {id} not as expected within 20 s: {(int)answer.StatusCode}");
            await Task.Delay(100);
        }
    }

    private static async Task AssertRefusedAsync(SiloProcess silo, string path, params string[] fields)
    {
        var answer = await silo.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        var errors = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(fields.Order(), errors.EnumerateObject().Select(e => e.Name).Order());
    }
}
