using System.Diagnostics;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The dashboard in a real headless Chromium, against a real silo, fed by real MQTT devices.</summary>
[Collection(SiloCollection.Name)]
public sealed class DashboardTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task Nothing_is_shown_without_a_token_and_a_wrong_one_is_refused()
    {
        await using var dashboard = await browser.OpenAsync(Silo);
        Assert.True(await dashboard.Page.IsVisibleAsync("#sign-in"));
        Assert.False(await dashboard.Page.IsVisibleAsync("#dashboard"));

        await dashboard.Page.FillAsync("#token", "not-the-token");
        await dashboard.Page.ClickAsync("#sign-in-button");
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

        // An SOS: the marker flashes and the alert is listed on both dashboards.
        Assert.True((await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status",
            $$"""{"ts":{{t.AddSeconds(6).ToUnixTimeMilliseconds()}},"state":"sos"}""")).IsSuccess);
        await first.Page.EvaluateAsync("([lat, lon]) => window.cmacLive.focus(lat, lon)", new[] { 13.1050, 103.2050 });
        var marker = first.Page.Locator($".asset-marker[data-asset-id='{field.AssetId}']");
        await Assertions.Expect(marker).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("state-sos"));
        var animation = await marker.EvaluateAsync<string>("e => getComputedStyle(e).animationName");
        Assert.Equal("sos-flash", animation);
        var alertOnFirst = first.Page.Locator("li.alert", new PageLocatorOptions { HasText = field.AssetId });
        var alertOnSecond = second.Page.Locator("li.alert", new PageLocatorOptions { HasText = field.AssetId });
        await Assertions.Expect(alertOnFirst).ToBeVisibleAsync();
        await Assertions.Expect(alertOnSecond).ToBeVisibleAsync();
        await first.ScreenshotAsync(browser.Screenshots, "sos-raised");

        // Acknowledged on one: every open dashboard shows it.
        await alertOnFirst.Locator("button.ack").ClickAsync();
        await Assertions.Expect(alertOnSecond.Locator(".acknowledged")).ToContainTextAsync("admin");
        await Assertions.Expect(alertOnFirst.Locator(".acknowledged")).ToContainTextAsync("admin");
        await second.ScreenshotAsync(browser.Screenshots, "sos-acknowledged");
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

        await dashboard.Page.SelectOptionAsync("#language", "km");

        await Assertions.Expect(dashboard.Page.Locator("#alerts h2 [data-i18n=alerts]")).ToHaveTextAsync("ការជូនដំណឹង");
        await Assertions.Expect(dashboard.Page.Locator("#sign-out")).ToHaveTextAsync("ចាកចេញ");
        Assert.Equal("km", await dashboard.Page.EvaluateAsync<string>("document.documentElement.lang"));
        var faces = await dashboard.Page.EvaluateAsync<int>("async () => (await document.fonts.load('16px \"Noto Sans Khmer\"', 'ការជូនដំណឹង')).length");
        Assert.True(faces > 0, "the Khmer font comes with the page");
        await dashboard.ScreenshotAsync(browser.Screenshots, "khmer");
        await dashboard.Page.SelectOptionAsync("#language", "en");
        NoErrors(dashboard);
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
