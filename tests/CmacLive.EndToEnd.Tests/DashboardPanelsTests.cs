using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The duty officer's panels in a real headless Chromium against a real silo fed by real MQTT devices: the asset roster
/// (search, sort, filter, locate), the areas panel, the casualty layer, and names at site zoom that never overlap.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class DashboardPanelsTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private TestSilo Silo => fixture.Silo;

    private const string VisibleRows = "#roster-list .roster-row:not([hidden])";

    /// <summary>An asset of its own name and kind, with a connected tracker.</summary>
    private async Task<(string AssetId, DeviceProbe Device)> AssetAsync(string assetId, string name, string kind, string unit = "DU3")
    {
        var asset = await Silo.PutJsonAsync($"/api/assets/{assetId}", new { kind, name, unit, capabilities = new[] { "eod" } });
        asset.EnsureSuccessStatusCode();
        var deviceId = $"trk-{assetId}";
        var secret = "secret-" + deviceId;
        var device = await Silo.PutJsonAsync($"/api/devices/{deviceId}", new { assetId, kind = "tracker", secret });
        device.EnsureSuccessStatusCode();
        return (assetId, await DeviceProbe.ConnectAsync(Silo, deviceId, secret));
    }

    /// <summary>The names in the roster's rows, in the list's order.</summary>
    private static async Task<string[]> RosterNamesAsync(DashboardPage dashboard) =>
        await dashboard.Page.EvaluateAsync<string[]>(
            $"() => [...document.querySelectorAll('{VisibleRows}')].sort((a, b) => a.dataset.index - b.dataset.index).map(r => r.querySelector('.roster-name').textContent)");

    [Fact]
    public async Task The_roster_lists_the_assets_and_searches_sorts_filters_and_locates_them()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ts = DateTimeOffset.UtcNow.AddSeconds(-20);
        var (alpha, alphaDevice) = await AssetAsync($"ros-{tag}-a", $"Alpha {tag}", "team");
        var (bravo, bravoDevice) = await AssetAsync($"ros-{tag}-b", $"Bravo {tag}", "dog");
        var (charlie, charlieDevice) = await AssetAsync($"ros-{tag}-c", $"Charlie {tag}", "machine");
        await using (alphaDevice)
        await using (bravoDevice)
        await using (charlieDevice)
        {
            Assert.True((await alphaDevice.PublishFixAsync(12.6000, 104.1000, ts, bat: 80)).IsSuccess);
            Assert.True((await bravoDevice.PublishFixAsync(12.6100, 104.1100, ts, bat: 20)).IsSuccess);
            Assert.True((await charlieDevice.PublishFixAsync(12.6200, 104.1200, ts, bat: 50)).IsSuccess);
            Assert.True((await bravoDevice.PublishAsync($"cmac/v1/{bravoDevice.DeviceId}/status",
                $$"""{"ts":{{ts.AddSeconds(1).ToUnixTimeMilliseconds()}},"state":"resting"}""")).IsSuccess);

            await using var dashboard = await browser.OpenAsync(Silo);
            await dashboard.SignInAsync();
            await dashboard.Page.FillAsync("#roster-search", tag);
            var rows = dashboard.Page.Locator(VisibleRows);
            await Assertions.Expect(rows).ToHaveCountAsync(3, new() { Timeout = 15_000 });
            await WaitAsync(dashboard, async () => (await dashboard.Page.Locator($"{VisibleRows}[data-asset-id='{bravo}'] .roster-state").TextContentAsync()) == "Resting");
            Assert.Equal([$"Alpha {tag}", $"Bravo {tag}", $"Charlie {tag}"], await RosterNamesAsync(dashboard));
            var alphaRow = dashboard.Page.Locator($"{VisibleRows}[data-asset-id='{alpha}']");
            await Assertions.Expect(alphaRow.Locator(".roster-battery")).ToHaveTextAsync("80 %");
            await Assertions.Expect(alphaRow.Locator(".roster-unit")).ToHaveTextAsync("DU3");
            await Assertions.Expect(alphaRow.Locator(".roster-kind")).ToHaveTextAsync("Team");

            // Sorted by battery, low first; again, high first; by name, descending.
            await dashboard.Page.ClickAsync("#roster-sort button[data-column=battery]");
            Assert.Equal([$"Bravo {tag}", $"Charlie {tag}", $"Alpha {tag}"], await RosterNamesAsync(dashboard));
            await dashboard.Page.ClickAsync("#roster-sort button[data-column=battery]");
            Assert.Equal([$"Alpha {tag}", $"Charlie {tag}", $"Bravo {tag}"], await RosterNamesAsync(dashboard));
            await dashboard.Page.ClickAsync("#roster-sort button[data-column=name]");
            await dashboard.Page.ClickAsync("#roster-sort button[data-column=name]");
            Assert.Equal([$"Charlie {tag}", $"Bravo {tag}", $"Alpha {tag}"], await RosterNamesAsync(dashboard));

            // Filtered by kind, then by state; a search that matches nothing lists nothing.
            await dashboard.Page.SelectOptionAsync("#roster-kind", "dog");
            Assert.Equal([$"Bravo {tag}"], await RosterNamesAsync(dashboard));
            await dashboard.Page.SelectOptionAsync("#roster-kind", "");
            await dashboard.Page.SelectOptionAsync("#roster-state", "resting");
            Assert.Equal([$"Bravo {tag}"], await RosterNamesAsync(dashboard));
            await dashboard.Page.SelectOptionAsync("#roster-state", "");
            await dashboard.Page.FillAsync("#roster-search", $"nothing-{tag}");
            await Assertions.Expect(rows).ToHaveCountAsync(0);

            // Clicking a row centres the map on its asset, close in, and opens its panel.
            await dashboard.Page.FillAsync("#roster-search", $"charlie {tag}");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await rows.First.ClickAsync();
            var center = await dashboard.Page.EvaluateAsync<JsonElement>("() => window.cmacLive.center()");
            Assert.Equal(12.6200, center.GetProperty("lat").GetDouble(), 4);
            Assert.Equal(104.1200, center.GetProperty("lon").GetDouble(), 4);
            Assert.True(center.GetProperty("zoom").GetDouble() >= 16);
            await Assertions.Expect(dashboard.Page.Locator("#asset")).ToContainTextAsync(charlie);

            // In Khmer, the same rows in the interface's words.
            await dashboard.Page.SelectOptionAsync("#language", "km");
            await Assertions.Expect(rows.First.Locator(".roster-kind")).ToHaveTextAsync("គ្រឿងចក្រ");
            await Assertions.Expect(dashboard.Page.Locator("#roster h2 [data-i18n=roster]")).ToHaveTextAsync("បញ្ជីធនធាន");
            await dashboard.ScreenshotAsync(browser.Screenshots, "roster-khmer");
            await dashboard.Page.SelectOptionAsync("#language", "en");
            NoErrors(dashboard);
        }
    }

    [Fact]
    public async Task The_areas_panel_shows_an_area_with_its_status_and_percent_and_a_click_zooms_to_it()
    {
        var code = $"KC/CHA/PANEL/{Random.Shared.Next(10_000, 99_999)}";
        await Silo.PutSquareAreaAsync(code, "Panel test field", "DU4", west: 103.80, south: 13.40);

        // A machine tasked there works a lane across it: the area's ground searched grows.
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (machine, device) = await AssetAsync($"area-{tag}", $"Flail {tag}", "machine", "DU4");
        await using var flail = device;
        (await Silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(code)}/assets/{machine}", new { })).EnsureSuccessStatusCode();
        var ts = DateTimeOffset.UtcNow.AddMinutes(-3);
        Assert.True((await device.PublishAsync($"cmac/v1/{device.DeviceId}/status",
            $$"""{"ts":{{ts.ToUnixTimeMilliseconds()}},"state":"working"}""")).IsSuccess);
        for (var step = 0; step <= 5; step++)
        {
            // 55 m every 20 s along the area's middle, with a step aside, so the lane has corners.
            var lat = 13.4050 + (step % 2 == 0 ? 0 : 0.0001);
            Assert.True((await device.PublishFixAsync(lat, 103.8030 + (step * 0.0005), ts.AddSeconds(1 + (step * 20)))).IsSuccess);
        }

        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();
        var item = dashboard.Page.Locator($"#area-list li.area[data-area-code='{code}']");
        await WaitAsync(dashboard, async () => await item.CountAsync() == 1
            && double.Parse(await item.GetAttributeAsync("data-percent") ?? "0", System.Globalization.CultureInfo.InvariantCulture) > 0);
        await Assertions.Expect(item.Locator(".area-assets")).ToHaveTextAsync("Assets: 1", new() { Timeout = 10_000 });
        await Assertions.Expect(item).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var shown = await dashboard.Page.EvaluateAsync<JsonElement>($"() => window.cmacLive.area('{code}')");
        var status = shown.GetProperty("status").GetString()!;
        var percent = shown.GetProperty("percent").GetDouble();
        var statusText = await dashboard.Page.EvaluateAsync<string>($"() => ({{ suspected: 'Suspected', confirmed: 'Confirmed', 'in-clearance': 'In clearance', released: 'Released' }})['{status}']");
        await Assertions.Expect(item.Locator(".area-status")).ToHaveTextAsync(statusText);
        await Assertions.Expect(item.Locator(".area-percent")).ToHaveTextAsync($"{percent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} % searched");
        await Assertions.Expect(item.Locator(".area-code")).ToHaveTextAsync($"{code} · Panel test field");
        await Assertions.Expect(item.Locator(".area-finds")).ToHaveTextAsync("Finds: 0");
        var bar = await item.Locator(".area-bar-fill").EvaluateAsync<double>("e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width * 100");
        Assert.Equal(percent, bar, 0);

        // A click brings the whole area into view, close in, with its searched footprint asked for.
        await item.ClickAsync();
        var bounds = await dashboard.Page.EvaluateAsync<JsonElement>("() => window.cmacLive.center()");
        Assert.Equal(13.405, bounds.GetProperty("lat").GetDouble(), 3);
        Assert.Equal(103.805, bounds.GetProperty("lon").GetDouble(), 3);
        Assert.True(bounds.GetProperty("zoom").GetDouble() >= 14, $"zoom {bounds.GetProperty("zoom")}");
        await WaitAsync(dashboard, async () => await dashboard.Page.EvaluateAsync<string?>("() => window.cmacLive.searched()?.code ?? null") == code);

        // Short of the closest zoom, the footprint is drawn with fewer points than the API sent; at it, exactly.
        var searched = await dashboard.Page.EvaluateAsync<JsonElement>("() => window.cmacLive.searched()");
        Assert.True(searched.GetProperty("zoom").GetDouble() < 19, $"zoom {searched}");
        Assert.InRange(searched.GetProperty("drawn").GetInt32(), 4, searched.GetProperty("exact").GetInt32() - 1);
        await dashboard.Page.EvaluateAsync("() => window.cmacLive.focus(13.4050, 103.8045, 19)");
        searched = await dashboard.Page.EvaluateAsync<JsonElement>("() => window.cmacLive.searched()");
        Assert.Equal(searched.GetProperty("exact").GetInt32(), searched.GetProperty("drawn").GetInt32());
        await dashboard.ScreenshotAsync(browser.Screenshots, "areas-panel");
        NoErrors(dashboard);
    }

    [Fact]
    public async Task The_casualty_layer_shows_a_record_with_its_counts_and_a_viewer_sees_no_personal_details()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var id = $"acc-{tag}";
        var date = DateTimeOffset.UtcNow.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var put = await Silo.PutJsonAsync($"/api/casualties/{id}", new Dictionary<string, object?>
        {
            ["date"] = date, ["lat"] = 12.7712, ["lon"] = 102.8543, ["province"] = "Battambang", ["district"] = "Samlout",
            ["village"] = $"Village-{tag}", ["device"] = "uxo", ["activity"] = "collecting scrap metal",
            ["victims"] = new object[]
            {
                new { sex = "male", ageGroup = "adult", outcome = "killed", occupation = "farmer" },
                new { sex = "male", ageGroup = "child", outcome = "killed", occupation = "student" },
                new { sex = "female", ageGroup = "adult", outcome = "injured", occupation = "farmer" },
            },
        });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        await using var operatorPage = await browser.OpenAsync(Silo);
        await operatorPage.SignInAsync();
        var marker = operatorPage.Page.Locator($".casualty-marker[data-casualty-id='{id}']");
        await Assertions.Expect(marker).ToHaveCountAsync(0);
        await operatorPage.Page.CheckAsync("#casualty-layer");
        await Assertions.Expect(marker).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(marker).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("device-uxo"));
        await operatorPage.Page.EvaluateAsync("() => window.cmacLive.focus(12.7712, 102.8543, 12)");
        await marker.ClickAsync();
        var popup = operatorPage.Page.Locator(".casualty-popup");
        await Assertions.Expect(popup).ToContainTextAsync(date);
        await Assertions.Expect(popup).ToContainTextAsync("UXO");
        await Assertions.Expect(popup.Locator(".casualty-killed")).ToHaveTextAsync("2");
        await Assertions.Expect(popup.Locator(".casualty-injured")).ToHaveTextAsync("1");
        await Assertions.Expect(popup).ToContainTextAsync($"Village-{tag}");
        await operatorPage.ScreenshotAsync(browser.Screenshots, "casualty-layer");
        await operatorPage.Page.UncheckAsync("#casualty-layer");
        await Assertions.Expect(marker).ToHaveCountAsync(0);
        NoErrors(operatorPage);

        // A viewer: the same counts, no village (the server leaves it out), the place rounded.
        await Silo.CreateUserAsync($"wall-{tag}", "viewer");
        await using var viewerPage = await browser.OpenAsync(Silo);
        await viewerPage.SignInAsUserAsync($"wall-{tag}", TestUsers.Password);
        await viewerPage.Page.CheckAsync("#casualty-layer");
        var seen = viewerPage.Page.Locator($".casualty-marker[data-casualty-id='{id}']");
        await Assertions.Expect(seen).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await viewerPage.Page.EvaluateAsync("() => window.cmacLive.focus(12.77, 102.85, 12)");
        await seen.ClickAsync();
        var viewerPopup = viewerPage.Page.Locator(".casualty-popup");
        await Assertions.Expect(viewerPopup.Locator(".casualty-killed")).ToHaveTextAsync("2");
        await Assertions.Expect(viewerPopup).Not.ToContainTextAsync($"Village-{tag}");
        Assert.DoesNotContain("student", await viewerPopup.TextContentAsync() ?? "", StringComparison.Ordinal);
        NoErrors(viewerPage);
    }

    [Fact]
    public async Task Two_assets_side_by_side_at_site_zoom_never_show_overlapping_names()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ts = DateTimeOffset.UtcNow.AddSeconds(-20);
        var (left, leftDevice) = await AssetAsync($"lab-{tag}-a", $"Left team {tag}", "team");
        var (right, rightDevice) = await AssetAsync($"lab-{tag}-b", $"Right team {tag}", "team");
        await using (leftDevice)
        await using (rightDevice)
        {
            // Two metres apart: at zoom 18 their names would lie on top of each other.
            Assert.True((await leftDevice.PublishFixAsync(11.5000, 105.3000, ts)).IsSuccess);
            Assert.True((await rightDevice.PublishFixAsync(11.5000, 105.30002, ts)).IsSuccess);

            await using var dashboard = await browser.OpenAsync(Silo);
            await dashboard.SignInAsync();
            await WaitAsync(dashboard, async () => await dashboard.PositionAsync(right) is not null && await dashboard.PositionAsync(left) is not null);
            await dashboard.Page.EvaluateAsync("() => window.cmacLive.focus(11.5000, 105.30001, 18)");
            await WaitAsync(dashboard, async () => (await LabelsAsync(dashboard, left, right)).Length == 2);
            var labels = await LabelsAsync(dashboard, left, right);
            Assert.Single(labels, l => l.Shown);
            AssertApart(labels);
            await dashboard.ScreenshotAsync(browser.Screenshots, "labels-dense");

            // The asset selected (here from the roster) has its name shown first.
            var hidden = labels.Single(l => !l.Shown).Id;
            await dashboard.Page.FillAsync("#roster-search", hidden);
            await dashboard.Page.Locator(VisibleRows).First.ClickAsync();
            await WaitAsync(dashboard, async () => (await LabelsAsync(dashboard, left, right)).Single(l => l.Shown).Id == hidden);
            AssertApart(await LabelsAsync(dashboard, left, right));

            // Moved a hundred metres apart, both names are shown, and still apart.
            Assert.True((await rightDevice.PublishFixAsync(11.5000, 105.3010, ts.AddSeconds(5))).IsSuccess);
            await dashboard.Page.EvaluateAsync("() => window.cmacLive.focus(11.5000, 105.3005, 18)");
            await WaitAsync(dashboard, async () => (await LabelsAsync(dashboard, left, right)).Count(l => l.Shown) == 2);
            AssertApart(await LabelsAsync(dashboard, left, right));
            NoErrors(dashboard);
        }
    }

    private sealed record Label(string Id, bool Shown, double Left, double Top, double Right, double Bottom);

    /// <summary>The name labels of the assets' markers as drawn: whether each is shown, and its box on the screen.</summary>
    private static async Task<Label[]> LabelsAsync(DashboardPage dashboard, params string[] ids)
    {
        var found = await dashboard.Page.EvaluateAsync<JsonElement>("""
            ids => ids.map(id => document.querySelector(`.asset-marker[data-asset-id="${id}"]`)).filter(Boolean).map(marker => {
              const label = marker.parentElement.querySelector('.asset-label');
              const box = label.getBoundingClientRect();
              return { id: marker.dataset.assetId, shown: getComputedStyle(label).display !== 'none', left: box.left, top: box.top, right: box.right, bottom: box.bottom };
            })
            """, ids);
        return [.. found.EnumerateArray().Select(l => new Label(l.GetProperty("id").GetString()!, l.GetProperty("shown").GetBoolean(),
            l.GetProperty("left").GetDouble(), l.GetProperty("top").GetDouble(), l.GetProperty("right").GetDouble(), l.GetProperty("bottom").GetDouble()))];
    }

    private static void AssertApart(Label[] labels)
    {
        var shown = labels.Where(l => l.Shown).ToArray();
        Assert.NotEmpty(shown);
        foreach (var a in shown)
        {
            Assert.True(a.Right > a.Left && a.Bottom > a.Top, $"{a.Id}'s label has no size");
            foreach (var b in shown.Where(b => b != a))
            {
                var overlap = a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom;
                Assert.False(overlap, $"labels overlap: {a} and {b}");
            }
        }
    }

    private static void NoErrors(DashboardPage page) =>
        Assert.True(page.Errors.Count == 0, "console errors: " + string.Join(" | ", page.Errors));

    private static async Task WaitAsync(DashboardPage page, Func<Task<bool>> done)
    {
        var deadline = Stopwatch.StartNew();
        while (!await done())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(15))
            {
                var summary = await page.Page.EvaluateAsync<string>("JSON.stringify(window.cmacLive.summary())");
                throw new TimeoutException($"not within 15 s; page: {summary}; errors: {string.Join("; ", page.Errors)}");
            }

            await Task.Delay(50);
        }
    }
}
