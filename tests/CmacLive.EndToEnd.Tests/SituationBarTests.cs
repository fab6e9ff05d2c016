using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The situation bar in a real headless Chromium: the figures of the unit in focus, kept live by the hub, in English and Khmer.</summary>
[Collection(SiloCollection.Name)]
public sealed class SituationBarTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task The_bar_shows_the_focused_units_figures_and_an_sos_turns_it_red_within_seconds_in_english_and_khmer()
    {
        var unit = "BAR" + Random.Shared.Next(100_000, 999_999);
        await using var team = await TrackedAsset.StartAsync(Silo, "team", unit);
        await using var dog = await TrackedAsset.StartAsync(Silo, "dog", unit);
        await using var idle = await TrackedAsset.StartAsync(Silo, "machine", unit); // registered, never reports: offline
        var t = DateTimeOffset.UtcNow.AddSeconds(-30);
        foreach (var (asset, state) in new[] { (team, "working"), (dog, "resting") })
        {
            Assert.True((await asset.Tracker.PublishFixAsync(14.2, 107.3, t)).IsSuccess);
            Assert.True((await asset.Tracker.PublishAsync($"cmac/v1/{asset.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t.AddSeconds(1))}}","state":"{{state}}"}""")).IsSuccess);
            await asset.UpdateAsync(s => s.GetProperty("state").GetString() == state);
        }

        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();
        var page = dashboard.Page;
        await Assertions.Expect(page.Locator("#situation-bar")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#unit option[value='{unit}']")).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#unit", unit);

        ILocatorAssertions Figure(string id) => Assertions.Expect(page.Locator($"#situation-bar [data-figure='{id}']"));
        await Figure("online").ToHaveTextAsync("2");
        await Figure("working").ToHaveTextAsync("1");
        await Figure("resting").ToHaveTextAsync("1");
        await Figure("offline").ToHaveTextAsync("1");
        await Figure("sos").ToHaveTextAsync("0");
        await Figure("finds").ToHaveTextAsync("0");
        await Figure("requests").ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-tile='working'] .caption")).ToHaveTextAsync("Working");
        Assert.False(await page.Locator("[data-tile='sos']").EvaluateAsync<bool>("e => e.classList.contains('active')"));

        // An SOS reaches the bar through the hub (no reload), in colour and in figures.
        Assert.True((await team.Tracker.PublishAsync($"cmac/v1/{team.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t.AddSeconds(5))}}","state":"sos"}""")).IsSuccess);
        await Figure("sos").ToHaveTextAsync("1", new() { Timeout = 5_000 });
        await Figure("working").ToHaveTextAsync("0");
        await Figure("severity-critical").ToHaveTextAsync("1", new() { Timeout = 5_000 });
        await Figure("alerts").ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-tile='sos']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        await Assertions.Expect(page.Locator("[data-tile='alerts']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bactive\b"));
        await dashboard.ScreenshotAsync(browser.Screenshots, "situation-bar");

        // Khmer labels, the same figures.
        await page.SelectOptionAsync("#language", "km");
        await Assertions.Expect(page.Locator("[data-tile='resting'] .caption")).ToHaveTextAsync("កំពុងសម្រាក");
        await Assertions.Expect(page.Locator("[data-tile='finds'] .caption")).ToHaveTextAsync("រកឃើញថ្ងៃនេះ");
        await Figure("resting").ToHaveTextAsync("1");
        await page.SelectOptionAsync("#language", "en");

        // The SOS ends, on the bar too. Its alert clears but stays open, and counted, until someone acknowledges it; then the
        // shared silo's other dashboards see no SOS left behind.
        Assert.True((await team.Tracker.PublishAsync($"cmac/v1/{team.DeviceId}/status", $$"""{"ts":"{{Ground.Ts(t.AddSeconds(8))}}","state":"working"}""")).IsSuccess);
        await Figure("sos").ToHaveTextAsync("0", new() { Timeout = 5_000 });
        await Figure("working").ToHaveTextAsync("1");
        JsonElement sos;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((sos = (await Silo.GetJsonAsync<JsonElement>("/api/alerts?open=true")).EnumerateArray()
            .Single(a => a.GetProperty("assetId").GetString() == team.AssetId && a.GetProperty("kind").GetString() == "sos"))
            .GetProperty("clearedAt").ValueKind != JsonValueKind.String)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the SOS alert never cleared");
            await Task.Delay(100);
        }

        // Cleared: still counted by the situation (the bar shows what the situation pushes), until acknowledged.
        var situation = await Silo.GetJsonAsync<JsonElement>($"/api/situation?unit={unit}");
        Assert.Equal(1, situation.GetProperty("alerts").GetProperty("openBySeverity").GetProperty("critical").GetInt32());
        await Figure("alerts").ToHaveTextAsync("1");
        var acked = await Silo.Http.PostAsJsonAsync($"/api/alerts/{Uri.EscapeDataString(sos.GetProperty("id").GetString()!)}/ack", new { note = "false alarm" });
        Assert.Equal(HttpStatusCode.OK, acked.StatusCode);
        await Figure("alerts").ToHaveTextAsync("0", new() { Timeout = 5_000 });
        Assert.Empty(dashboard.Errors);
    }
}
