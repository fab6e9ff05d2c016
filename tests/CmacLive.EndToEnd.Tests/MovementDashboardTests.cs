using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The asset panel's recent movements in a real headless Chromium: read from history, then kept live by the hub.</summary>
[Collection(SiloCollection.Name)]
public sealed class MovementDashboardTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private readonly Ground _ground = new(275_000, 1_470_000);

    private TestSilo Silo => fixture.Silo;

    private async Task FixAsync(TrackedAsset field, double x, DateTimeOffset ts)
    {
        var (lat, lon) = _ground.At(x, 50);
        Assert.True((await field.Tracker.PublishFixAsync(lat, lon, ts)).IsSuccess);
    }

    [Fact]
    public async Task The_asset_panel_lists_the_assets_movements_from_history_and_a_new_one_as_it_happens_in_english_and_khmer()
    {
        var code = $"MD/CHA/CMAA/{Random.Shared.Next(10_000, 99_999)}";
        await _ground.PutAreaAsync(Silo, code, 0, 0, 100, 100);

        await using var field = await TrackedAsset.StartAsync(Silo);
        var t = DateTimeOffset.UtcNow.AddMinutes(-5);
        await FixAsync(field, -20, t);
        for (var i = 1; i <= 10; i++)
        {
            await FixAsync(field, 30, t.AddSeconds(2 * i)); // inside from 2 s, for 18 s: entered
        }

        await field.Hub.WaitForAsync("assetEvent", e => e.GetProperty("assetId").GetString() == field.AssetId);

        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();
        await dashboard.Page.WaitForFunctionAsync("id => window.cmacLive.state(id) !== null", field.AssetId); // in the picture (its marker may be clustered)
        await dashboard.Page.EvaluateAsync("id => window.cmacLive.select(id)", field.AssetId);
        var movements = dashboard.Page.Locator("#asset .movement-list li.movement");
        await Assertions.Expect(movements).ToHaveCountAsync(1);
        await Assertions.Expect(movements.First).ToHaveAttributeAsync("data-kind", "entered");
        await Assertions.Expect(movements.First).ToContainTextAsync("Entered");
        await Assertions.Expect(movements.First).ToContainTextAsync(code);

        // Out, for good: the hub's assetEvent lists it at once, newest first.
        for (var i = 11; i <= 20; i++)
        {
            await FixAsync(field, -20, t.AddSeconds(2 * i));
        }

        await Assertions.Expect(movements).ToHaveCountAsync(2);
        await Assertions.Expect(movements.First).ToHaveAttributeAsync("data-kind", "left");
        await Assertions.Expect(movements.First).ToContainTextAsync("Left");

        await dashboard.Page.SelectOptionAsync("#language", "km");
        await Assertions.Expect(dashboard.Page.Locator("#asset .asset-events h4")).ToHaveTextAsync("ចលនាថ្មីៗ");
        await Assertions.Expect(movements.First).ToContainTextAsync("បានចាកចេញ");
        await Assertions.Expect(movements).ToHaveCountAsync(2);
        await dashboard.ScreenshotAsync(browser.Screenshots, "asset-movements");
        await dashboard.Page.SelectOptionAsync("#language", "en");
        Assert.True(dashboard.Errors.Count == 0, "console errors: " + string.Join(" | ", dashboard.Errors));
    }
}
