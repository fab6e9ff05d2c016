using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The dashboard's projects panel in headless Chromium: released ground against target and plan, live, in both languages.</summary>
[Collection(SiloCollection.Name)]
public sealed class ProjectsPanelTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static int s_plots;

    private TestSilo Silo => fixture.Silo;

    /// <summary>A 100 × 100 m area of its own ground naming <paramref name="project"/>, released with <paramref name="clearedM2"/>.</summary>
    private async Task ReleasedAreaAsync(string project, double clearedM2)
    {
        var ground = new Ground(400_000 + (1_000 * Interlocked.Increment(ref s_plots)), 1_450_000);
        var code = $"PP/CHA/CMAA/{Guid.NewGuid():N}"[..24];
        var ring = new[] { (0, 0), (100, 0), (100, 100), (0, 100), (0, 0) }.Select(c => ground.At(c.Item1, c.Item2)).Select(p => new[] { p.Lon, p.Lat }).ToArray();
        var path = $"/api/hazard-areas/{Uri.EscapeDataString(code)}";
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutJsonAsync(path, new
        {
            type = "Feature",
            properties = new { code, type = "CHA", unit = "DU7", project },
            geometry = new { type = "Polygon", coordinates = new[] { ring } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync($"{path}/status", new { status = "in-clearance" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PostAsJsonAsync($"{path}/status", new { status = "released", outcome = new { clearedM2 } })).StatusCode);
    }

    [Fact]
    public async Task The_projects_panel_shows_released_ground_against_target_and_plan_and_follows_a_release_in_both_languages()
    {
        var project = TrackedAsset.NewId("PP");
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(7)).DateTime);
        Assert.Equal(HttpStatusCode.OK, (await Silo.PutJsonAsync($"/api/projects/{project}", new
        {
            name = "Samlot north",
            units = new[] { "DU7" },
            donor = "Japan (JICA)",
            targetM2 = 10_000,
            start = today.AddDays(-4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            end = today.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        })).StatusCode);
        await ReleasedAreaAsync(project, 2_500);

        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();
        var item = dashboard.Page.Locator($"li.project[data-project-id='{project}']");
        await Assertions.Expect(item.Locator(".project-figures")).ToHaveTextAsync("2,500 of 10,000 m² released (25 %)");
        await Assertions.Expect(item.Locator(".project-plan")).ToContainTextAsync("planned by today: 50 %");
        await Assertions.Expect(item.Locator(".project-plan")).ToContainTextAsync("behind plan");
        await Assertions.Expect(item.Locator(".project-donor")).ToHaveTextAsync("Donor: Japan (JICA)");
        await Assertions.Expect(item).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbehind-plan\b"));
        var width = await item.Locator(".project-done").EvaluateAsync<double>("e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width");
        Assert.InRange(width, 0.24, 0.26);

        // Another area of the project is released: the panel follows within seconds of the area's change.
        await ReleasedAreaAsync(project, 6_000);
        await Assertions.Expect(item.Locator(".project-figures")).ToHaveTextAsync("8,500 of 10,000 m² released (85 %)", new() { Timeout = 15_000 });
        await Assertions.Expect(item.Locator(".project-plan")).ToContainTextAsync("on plan");
        await Assertions.Expect(item.Locator(".project-plan")).ToContainTextAsync("2 areas");

        await dashboard.Page.SelectOptionAsync("#language", "km");
        await Assertions.Expect(dashboard.Page.Locator("#projects h2 [data-i18n='projects.title']")).ToHaveTextAsync("គម្រោង");
        await Assertions.Expect(item.Locator(".project-figures")).ToHaveTextAsync("បានដោះលែង 8,500 ក្នុងចំណោម 10,000 m² (85 %)");
        await dashboard.ScreenshotAsync(browser.Screenshots, "projects-khmer");
        await dashboard.Page.SelectOptionAsync("#language", "en");
        Assert.True(dashboard.Errors.Count == 0, "console errors: " + string.Join(" | ", dashboard.Errors));
    }
}
