using System.Net.Http.Json;
using System.Diagnostics;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The dashboard in a real headless Chromium, against a real silo, fed by real MQTT devices.</summary>
[Collection(SiloCollection.Name)]
public sealed class DashboardTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task The_page_is_served_with_a_content_security_policy_that_allows_no_inline_script_and_no_framing()
    {
        using var anonymous = Silo.ClientWith(null);
        var page = await anonymous.GetAsync("/");
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", string.Join(",", page.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", string.Join(",", page.Headers.GetValues("X-Frame-Options")));
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"<script(?![^>]*\ssrc=)|\son[a-z]+=|<style|\sstyle="), html);

        // Every answer, not only the page, says not to pass a referrer on or sniff types.
        var api = await anonymous.GetAsync("/api/assets");
        Assert.Equal("no-referrer", string.Join(",", api.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("nosniff", string.Join(",", api.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Nothing_is_shown_without_a_token_and_a_wrong_one_is_refused()
    {
        await using var dashboard = await browser.OpenAsync(Silo);
        Assert.True(await dashboard.Page.IsVisibleAsync("#sign-in"));
        Assert.False(await dashboard.Page.IsVisibleAsync("#dashboard"));

        await dashboard.SubmitTokenAsync("not-the-token");
        await Assertions.Expect(dashboard.Page.Locator("#sign-in-error")).ToHaveTextAsync("That token was refused.");
        Assert.False(await dashboard.Page.IsVisibleAsync("#dashboard"));
        await dashboard.ScreenshotAsync(browser.Screenshots, "sign-in-refused");
        Assert.DoesNotContain(dashboard.Errors, e => !e.Contains("401", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_fix_over_mqtt_moves_the_marker_within_a_second_and_an_sos_flashes_and_is_acknowledged_on_every_dashboard()
    {
        await using var field = await TrackedAsset.StartAsync(Silo);
        var t = DateTimeOffset.UtcNow.AddSeconds(-30);
        Assert.True((await field.Tracker.PublishFixAsync(13.1000, 103.2000, t)).IsSuccess);
        await field.UpdateAsync();

        await using var first = await browser.OpenAsync(Silo);
        await first.SignInAsync();
        await using var second = await browser.OpenAsync(Silo);
        await second.SignInAsync();
        await WaitAsync(first, async () => await first.PositionAsync(field.AssetId) is { Lat: 13.1000 });

        // The fix is published; the page has it within a second.
        var watch = Stopwatch.StartNew();
        Assert.True((await field.Tracker.PublishFixAsync(13.1050, 103.2050, t.AddSeconds(5))).IsSuccess);
        await WaitAsync(first, async () => await first.PositionAsync(field.AssetId) is { Lat: 13.1050 }, TimeSpan.FromSeconds(1));
        watch.Stop();

        // A neighbour 100 m away: zoomed out, the two are one cluster.
        await using var neighbour = await TrackedAsset.StartAsync(Silo);
        Assert.True((await neighbour.Tracker.PublishFixAsync(13.1059, 103.2050, t.AddSeconds(5))).IsSuccess);
        await WaitAsync(first, async () => await first.PositionAsync(neighbour.AssetId) is not null);
        await first.Page.EvaluateAsync("() => { window.cmacLive.focus(13.1050, 103.2050, 9); }");

        // An SOS: the marker flashes (and so does its cluster when zoomed out) and the alert is listed on both dashboards.
        var alarmsBefore = await first.Page.EvaluateAsync<int>("() => window.cmacLive.summary().alarms");
        Assert.True((await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status",
            $$"""{"ts":{{t.AddSeconds(6).ToUnixTimeMilliseconds()}},"state":"sos"}""")).IsSuccess);
        await Assertions.Expect(first.Page.Locator(".marker-cluster.cluster-sos")).ToHaveCountAsync(1);
        await first.Page.EvaluateAsync("([lat, lon]) => { window.cmacLive.focus(lat, lon); }", new[] { 13.1050, 103.2050 });
        var marker = first.Page.Locator($".asset-marker[data-asset-id='{field.AssetId}']");
        await Assertions.Expect(marker).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("state-sos"));
        var animation = await marker.EvaluateAsync<string>("e => getComputedStyle(e).animationName");
        Assert.Equal("sos-flash", animation);
        var alertOnFirst = first.Page.Locator("li.alert", new PageLocatorOptions { HasText = field.AssetId });
        var alertOnSecond = second.Page.Locator("li.alert", new PageLocatorOptions { HasText = field.AssetId });
        await Assertions.Expect(alertOnFirst).ToBeVisibleAsync();
        await Assertions.Expect(alertOnSecond).ToBeVisibleAsync();
        await first.ScreenshotAsync(browser.Screenshots, "sos-raised");
        // Both of the SOS's signals have arrived (the marker's state, the listed alert): the first sounded the alarm, the
        // other did not sound it again.
        Assert.Equal(alarmsBefore + 1, await first.Page.EvaluateAsync<int>("() => window.cmacLive.summary().alarms"));

        // Acknowledged on one: every open dashboard shows it.
        await alertOnFirst.Locator("button.ack").ClickAsync();
        await Assertions.Expect(alertOnSecond.Locator(".acknowledged")).ToContainTextAsync("break-glass");
        await Assertions.Expect(alertOnFirst.Locator(".acknowledged")).ToContainTextAsync("break-glass");
        await second.ScreenshotAsync(browser.Screenshots, "sos-acknowledged");

        // The asset's detail and its track over the last hour, replayed.
        await marker.ClickAsync();
        await Assertions.Expect(first.Page.Locator("#asset")).ToContainTextAsync(field.AssetId);
        Assert.True((await field.Tracker.PublishFixAsync(13.1050, 103.2050, t.AddSeconds(7), bat: 57)).IsSuccess);
        await Assertions.Expect(first.Page.Locator("#asset .asset-battery")).ToHaveTextAsync("57 %");
        await first.Page.ClickAsync("#show-track");
        await Assertions.Expect(first.Page.Locator("#track-count")).ToHaveTextAsync("3 fixes");
        await Assertions.Expect(first.Page.Locator("path.track-line")).ToHaveCountAsync(1);
        await first.Page.ClickAsync("#replay-track");
        await Assertions.Expect(first.Page.Locator("path.replay-marker")).ToHaveCountAsync(1);
        await first.ScreenshotAsync(browser.Screenshots, "asset-track");
        NoErrors(first);
        NoErrors(second);
        Console.WriteLine($"fix published to marker moved: {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task The_khmer_switch_changes_the_interface_text_and_keeps_the_data()
    {
        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();
        await Assertions.Expect(dashboard.Page.Locator("#alerts h2 [data-i18n=alerts]")).ToHaveTextAsync("Alerts");
        var battambang = dashboard.Page.Locator(".province-label", new PageLocatorOptions { HasText = "Battambang" });
        await Assertions.Expect(battambang).ToHaveCountAsync(1);

        await dashboard.Page.SelectOptionAsync("#language", "km");

        await Assertions.Expect(dashboard.Page.Locator("#alerts h2 [data-i18n=alerts]")).ToHaveTextAsync("ការជូនដំណឹង");
        await Assertions.Expect(dashboard.Page.Locator("#sign-out")).ToHaveTextAsync("ចាកចេញ");
        Assert.Equal("km", await dashboard.Page.EvaluateAsync<string>("document.documentElement.lang"));
        await Assertions.Expect(dashboard.Page.Locator(".province-label", new PageLocatorOptions { HasText = "បាត់ដំបង" })).ToHaveCountAsync(1);
        await Assertions.Expect(battambang).ToHaveCountAsync(0);
        var faces = await dashboard.Page.EvaluateAsync<int>("async () => (await document.fonts.load('16px \"Noto Sans Khmer\"', 'ការជូនដំណឹង')).length");
        Assert.True(faces > 0, "the Khmer font comes with the page");
        await dashboard.ScreenshotAsync(browser.Screenshots, "khmer");
        await dashboard.Page.SelectOptionAsync("#language", "en");
        NoErrors(dashboard);
    }

    [Fact]
    public async Task A_request_filed_in_the_form_shows_its_recommended_teams_ranked_again_on_demand_and_is_assigned()
    {
        await using var team = await TrackedAsset.StartAsync(Silo, unit: "DU4");
        Assert.True((await team.Tracker.PublishFixAsync(11.9000, 104.8000, DateTimeOffset.UtcNow.AddSeconds(-5))).IsSuccess);
        await team.UpdateAsync();
        await using var other = await TrackedAsset.StartAsync(Silo, unit: "DU4");
        Assert.True((await other.Tracker.PublishFixAsync(11.7000, 104.6000, DateTimeOffset.UtcNow.AddSeconds(-5))).IsSuccess);
        await other.UpdateAsync();
        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();

        await dashboard.Page.ClickAsync("#new-request");
        await dashboard.Page.FillAsync("#request-lat", "11.9100");
        await dashboard.Page.FillAsync("#request-lon", "104.8100");
        await dashboard.Page.SelectOptionAsync("#request-found", "cluster-munition");
        await dashboard.Page.FillAsync("#request-village", "Prey Veng Leu");
        await dashboard.Page.CheckAsync("#request-people");
        await dashboard.Page.ClickAsync("#file-request");

        var recommendation = dashboard.Page.Locator($"#recommendations li[data-team-id='{team.AssetId}']");
        await Assertions.Expect(recommendation).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.Page.Locator("#recommendations h3")).ToContainTextAsync("Emergency");
        var requestId = await dashboard.Page.GetAttributeAsync("#recommendations", "data-request-id");
        var ranked = dashboard.Page.Locator("#recommendations li[data-team-id]");
        Assert.Equal(team.AssetId, await ranked.First.GetAttributeAsync("data-team-id"));
        await dashboard.ScreenshotAsync(browser.Screenshots, "dispatch-recommendations");

        // The other team drives up to the site while the dispatcher decides: ranked again, it comes first.
        Assert.True((await other.Tracker.PublishFixAsync(11.9098, 104.8098, DateTimeOffset.UtcNow)).IsSuccess);
        await WaitAsync(dashboard, async () => await dashboard.PositionAsync(other.AssetId) is { Lat: 11.9098 });
        await dashboard.Page.ClickAsync("#recommendations button.refresh-recommendations");
        await Assertions.Expect(ranked.First).ToHaveAttributeAsync("data-team-id", other.AssetId);

        // Closed, the request can be taken up again from the list.
        await dashboard.Page.ClickAsync("#recommendations button.close-recommendations");
        await Assertions.Expect(dashboard.Page.Locator("#recommendations")).ToBeHiddenAsync();
        await dashboard.Page.ClickAsync($"li.request[data-request-id='{requestId}']");
        await Assertions.Expect(recommendation).ToBeVisibleAsync();

        await recommendation.Locator("button.assign").ClickAsync();
        var listed = dashboard.Page.Locator($"li.request[data-request-id='{requestId}'] .request-status");
        await Assertions.Expect(listed).ToHaveAttributeAsync("data-status", "assigned");
        await Assertions.Expect(listed).ToContainTextAsync(team.AssetId);
        await Assertions.Expect(dashboard.Page.Locator($".request-marker[data-request-id='{requestId}']")).ToHaveCountAsync(1);

        // The team acknowledges from its tracker: the list follows over the hub.
        Assert.True((await team.Tracker.PublishAsync($"cmac/v1/{team.DeviceId}/ack",
            $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"requestId":"{{requestId}}"}""")).IsSuccess);
        await Assertions.Expect(listed).ToHaveAttributeAsync("data-status", "acknowledged");
        await dashboard.ScreenshotAsync(browser.Screenshots, "dispatch-assigned");
        var cancel = await Silo.Http.PostAsync($"/api/dispatch/requests/{requestId}/cancel", null);
        cancel.EnsureSuccessStatusCode();
        await Assertions.Expect(dashboard.Page.Locator($"li.request[data-request-id='{requestId}']")).ToHaveCountAsync(0);
        NoErrors(dashboard);
    }

    [Fact]
    public async Task Markers_moving_far_while_clustered_and_while_filtered_out_stay_one_each_where_their_last_fix_put_them()
    {
        // Ten DU3 assets 1.4 km apart in a row: clustered at low zooms, apart from zoom 13 (the last clustered one).
        var devices = new List<(string AssetId, DeviceProbe Tracker)>();
        for (var i = 0; i < 10; i++)
        {
            var assetId = TrackedAsset.NewId("DU3-team");
            var deviceId = TrackedAsset.NewId("trk");
            var secret = await Silo.ProvisionAsync(assetId, deviceId, "team", "DU3");
            devices.Add((assetId, await DeviceProbe.ConnectAsync(Silo, deviceId, secret)));
        }

        try
        {
            var t = DateTimeOffset.UtcNow.AddMinutes(-5);
            async Task MoveAllAsync(int step)
            {
                for (var i = 0; i < devices.Count; i++)
                {
                    Assert.True((await devices[i].Tracker.PublishFixAsync(12.2 + (step * 0.002), 105.3 + (i * 0.013), t.AddSeconds(step))).IsSuccess);
                }
            }

            await MoveAllAsync(0);
            await using var dashboard = await browser.OpenAsync(Silo);
            await dashboard.SignInAsync();
            await dashboard.Page.EvaluateAsync("() => window.cmacLive.focus(12.2, 105.36, 10)");
            await WaitAsync(dashboard, async () => await dashboard.PositionAsync(devices[^1].AssetId) is { Lat: 12.2 });

            // Each step is about 220 m, past the distance at which a marker is placed in its cluster again.
            for (var step = 1; step <= 3; step++)
            {
                await MoveAllAsync(step);
            }

            await WaitAsync(dashboard, async () => await dashboard.PositionAsync(devices[^1].AssetId) is { } p && Math.Abs(p.Lat - 12.206) < 1e-9);

            // Filtered to another unit, the DU3 markers go; they move meanwhile; widened again, they come back where they are now.
            await dashboard.Page.SelectOptionAsync("#unit", "DU2");
            await WaitAsync(dashboard, async () => !(await ShownAsync(dashboard)).Contains(devices[0].AssetId));
            await MoveAllAsync(4);

            // Another unit chosen: the picture is read again, and the hidden markers take their new positions unseen.
            await dashboard.Page.SelectOptionAsync("#unit", "DU1");
            await WaitAsync(dashboard, async () => await dashboard.PositionAsync(devices[0].AssetId) is { } p && Math.Abs(p.Lat - 12.208) < 1e-9);
            Assert.DoesNotContain(await ShownAsync(dashboard), id => devices.Any(d => d.AssetId == id));
            await MoveAllAsync(5);

            await dashboard.Page.SelectOptionAsync("#unit", "");
            foreach (var (assetId, _) in devices)
            {
                await WaitAsync(dashboard, async () => await dashboard.PositionAsync(assetId) is { } p && Math.Abs(p.Lat - 12.210) < 1e-9);
            }

            await WaitAsync(dashboard, async () =>
            {
                var ids = await ShownAsync(dashboard);
                return devices.All(d => ids.Contains(d.AssetId));
            });
            var shown = await ShownAsync(dashboard);
            Assert.Equal(shown.Length, shown.Distinct().Count());
            var counted = await dashboard.Page.EvaluateAsync<int>("() => window.cmacLive.summary().clustered");
            Assert.Equal(shown.Length, counted);
            Assert.Empty(await dashboard.Page.EvaluateAsync<string[]>("() => window.cmacLive.clusterProblems()"));
            await dashboard.ScreenshotAsync(browser.Screenshots, "moved-markers");
            NoErrors(dashboard);
        }
        finally
        {
            foreach (var (_, tracker) in devices)
            {
                await tracker.DisposeAsync();
            }
        }
    }

    private static async Task<string[]> ShownAsync(DashboardPage dashboard) =>
        await dashboard.Page.EvaluateAsync<string[]>("() => window.cmacLive.shown()");

    [Fact]
    public async Task Hazard_areas_show_their_status_and_progress_and_detections_and_finds_are_drawn()
    {
        var code = $"KC/CHA/DASH/{Random.Shared.Next(10_000, 99_999)}";
        await Silo.PutSquareAreaAsync(code, "Dashboard test field", "DU2", west: 104.50, south: 12.20);
        await using var field = await TrackedAsset.StartAsync(Silo, unit: "DU2");
        var ts = DateTimeOffset.UtcNow.AddSeconds(-20);
        Assert.True((await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/detection",
            $$"""{"ts":{{ts.ToUnixTimeMilliseconds()}},"lat":12.205,"lon":104.505,"sensor":"metal","depthCm":12}""")).IsSuccess);

        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();
        await WaitAsync(dashboard, async () => await dashboard.Page.EvaluateAsync<bool>($"window.cmacLive.area('{code}')?.status === 'confirmed'"));
        await Assertions.Expect(dashboard.Page.Locator("path.detection-marker")).Not.ToHaveCountAsync(0);

        // Confirmed as a find over REST: the area's counts change on the hub and the page redraws it as a find.
        var confirm = await Silo.Http.PostAsJsonAsync($"/api/detections/{field.DeviceId}-{ts.ToUnixTimeMilliseconds()}/confirm",
            new { category = "submunition", model = "BLU-24/B", depthCm = 12, disposal = "destroyed-in-situ" });
        confirm.EnsureSuccessStatusCode();
        await Assertions.Expect(dashboard.Page.Locator("path.find-marker")).Not.ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await dashboard.Page.EvaluateAsync("() => { window.cmacLive.focus(12.205, 104.505, 15); }");
        await dashboard.ScreenshotAsync(browser.Screenshots, "hazard-area-and-find");
        NoErrors(dashboard);
    }

    [Fact]
    public async Task The_page_survives_a_silo_restart_and_resyncs()
    {
        var folder = TestSilo.NewDataFolder();
        var port = SiloEndpoints.FreePort();
        string[] settings = [$"--urls=http://127.0.0.1:{port}"];
        string secret;
        TestSilo? silo = await TestSilo.StartAsync(folder, settings);
        DashboardPage? dashboard = null;
        try
        {
            secret = await silo.ProvisionAsync("DU6-EOD-09", "trk-dash-09", unit: "DU6");
            await using (var device = await DeviceProbe.ConnectAsync(silo, "trk-dash-09", secret))
            {
                Assert.True((await device.PublishFixAsync(13.5000, 104.0000, DateTimeOffset.UtcNow.AddSeconds(-10))).IsSuccess);
            }

            dashboard = await browser.OpenAsync(silo);
            await dashboard.SignInAsync();
            await WaitAsync(dashboard, async () => await dashboard.PositionAsync("DU6-EOD-09") is { Lat: 13.5000 });

            await silo.DisposeAsync();
            silo = null;
            await Assertions.Expect(dashboard.Page.Locator("#banner")).ToHaveClassAsync("warning", new() { Timeout = 25_000 });
            await dashboard.ScreenshotAsync(browser.Screenshots, "restart-reconnecting");

            silo = await TestSilo.StartAsync(folder, settings);
            await Assertions.Expect(dashboard.Page.Locator("#banner")).ToHaveClassAsync("ok", new() { Timeout = 30_000 });
            await using var again = await DeviceProbe.ConnectAsync(silo, "trk-dash-09", secret);
            Assert.True((await again.PublishFixAsync(13.5100, 104.0100, DateTimeOffset.UtcNow)).IsSuccess);
            await WaitAsync(dashboard, async () => await dashboard.PositionAsync("DU6-EOD-09") is { Lat: 13.5100 });
            await dashboard.ScreenshotAsync(browser.Screenshots, "restart-resynced");

            // Only the outage itself may have been logged: failed connections while the silo was away.
            Assert.DoesNotContain(dashboard.Errors, e => !e.Contains("ERR_CONNECTION_REFUSED", StringComparison.Ordinal)
                && !e.Contains("WebSocket", StringComparison.Ordinal) && !e.Contains("Failed to fetch", StringComparison.Ordinal));
        }
        finally
        {
            if (dashboard is not null)
            {
                await dashboard.DisposeAsync();
            }

            if (silo is not null)
            {
                await silo.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static void NoErrors(DashboardPage page) =>
        Assert.True(page.Errors.Count == 0, "console errors: " + string.Join(" | ", page.Errors));

    private static async Task WaitAsync(DashboardPage page, Func<Task<bool>> done, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = within ?? TimeSpan.FromSeconds(10);
        while (!await done())
        {
            if (deadline.Elapsed > limit)
            {
                var summary = await page.Page.EvaluateAsync<string>("JSON.stringify(window.cmacLive.summary())");
                throw new TimeoutException($"not within {limit.TotalMilliseconds} ms; page: {summary}; errors: {string.Join("; ", page.Errors)}");
            }

            await Task.Delay(20);
        }
    }
}
