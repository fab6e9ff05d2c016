using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>Signing in to the dashboard as a user, what each role is offered, and the end of a session.</summary>
[Collection(SiloCollection.Name)]
public sealed class DashboardSignInTests(SiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Password = "mekong-river-2025";

    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_user_signs_in_with_name_and_password_and_the_header_says_who_in_which_role()
    {
        var username = await UserAsync(Silo, "operator", "Sokha Chan");
        await using var dashboard = await browser.OpenAsync(Silo);

        await dashboard.SubmitPasswordAsync(username, "not-the-password");
        await Assertions.Expect(dashboard.Page.Locator("#sign-in-error")).ToHaveTextAsync("Wrong user name or password.");
        Assert.False(await dashboard.Page.IsVisibleAsync("#dashboard"));
        Assert.False(await dashboard.Page.IsVisibleAsync("#session"));
        Assert.Equal("", await dashboard.Page.InputValueAsync("#password"));

        await dashboard.SignInAsUserAsync(username, Password);
        await Assertions.Expect(dashboard.Page.Locator("#user-name")).ToHaveTextAsync("Sokha Chan");
        await Assertions.Expect(dashboard.Page.Locator("#user-roles")).ToHaveTextAsync("Operator");
        Assert.NotNull(await dashboard.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('cmaclive.token')"));
        await dashboard.ScreenshotAsync(browser.Screenshots, "signed-in-operator");
        await dashboard.Page.SelectOptionAsync("#language", "km");
        await Assertions.Expect(dashboard.Page.Locator("#user-roles")).ToHaveTextAsync("ប្រតិបត្តិករ");
        await dashboard.Page.SelectOptionAsync("#language", "en");

        // Signed out: the form again, with nothing said; the break-glass token still signs in as the administrator.
        await dashboard.Page.ClickAsync("#sign-out");
        await Assertions.Expect(dashboard.Page.Locator("#sign-in")).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.Page.Locator("#sign-in-error")).ToHaveTextAsync("");
        Assert.Null(await dashboard.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('cmaclive.token')"));
        await dashboard.SignInAsync();
        await Assertions.Expect(dashboard.Page.Locator("#user-name")).ToHaveTextAsync("Break-glass administrator");
        await Assertions.Expect(dashboard.Page.Locator("#user-roles")).ToHaveTextAsync("Administrator");
        OnlyRefusals(dashboard);
    }

    [Fact]
    public async Task Too_many_failed_sign_ins_say_how_long_to_wait_and_an_unreachable_server_says_so()
    {
        var username = TrackedAsset.NewId("guessed");
        using var anonymous = new HttpClient { BaseAddress = Silo.BaseAddress };
        for (var i = 0; i < 10; i++)
        {
            var failed = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = "wrong-guess-" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SubmitPasswordAsync(username, "another-guess");
        await Assertions.Expect(dashboard.Page.Locator("#sign-in-error"))
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Too many failed sign-ins for this user name: try again in \d+ s\.$"));
        await dashboard.Page.SelectOptionAsync("#language", "km");
        await Assertions.Expect(dashboard.Page.Locator("#sign-in-error")).ToContainTextAsync("វិនាទី");
        await dashboard.Page.SelectOptionAsync("#language", "en");

        await dashboard.Page.RouteAsync("**/api/auth/token", route => route.AbortAsync());
        await dashboard.SubmitPasswordAsync(username, "yet-another-guess");
        await Assertions.Expect(dashboard.Page.Locator("#sign-in-error")).ToHaveTextAsync("The server cannot be reached.");
        Assert.False(await dashboard.Page.IsVisibleAsync("#dashboard"));
        OnlyRefusals(dashboard, "429", "ERR_FAILED");
    }

    [Fact]
    public async Task Each_role_is_offered_only_the_controls_it_may_use_also_for_what_arrives_later()
    {
        var viewer = await UserAsync(Silo, "viewer", "Wall screen");
        var duty = await UserAsync(Silo, "operator", "Duty officer");
        var dispatcher = await UserAsync(Silo, "dispatcher", "Hotline dispatcher");

        // A team near a request filed over REST, so there is a team to assign.
        await using var team = await TrackedAsset.StartAsync(Silo, unit: "DU4");
        Assert.True((await team.Tracker.PublishFixAsync(12.6000, 106.0000, DateTimeOffset.UtcNow.AddSeconds(-5))).IsSuccess);
        await team.UpdateAsync();
        var filed = await Silo.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat = 12.6100, lon = 106.0100, found = "uxo", village = "Roles test" });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var requestId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        await using var wall = await browser.OpenAsync(Silo);
        await wall.SignInAsUserAsync(viewer, Password);
        await using var hotline = await browser.OpenAsync(Silo);
        await hotline.SignInAsUserAsync(dispatcher, Password);
        await Assertions.Expect(wall.Page.Locator("#user-roles")).ToHaveTextAsync("Viewer");
        await Assertions.Expect(hotline.Page.Locator("#user-roles")).ToHaveTextAsync("Dispatcher");

        // An SOS raised while they watch: its alert arrives over the hub and is drawn for each role.
        await using var field = await TrackedAsset.StartAsync(Silo);
        Assert.True((await field.Tracker.PublishFixAsync(12.7000, 106.1000, DateTimeOffset.UtcNow.AddSeconds(-10))).IsSuccess);
        await field.UpdateAsync();
        Assert.True((await field.Tracker.PublishAsync($"cmac/v1/{field.DeviceId}/status",
            $$"""{"ts":{{DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds()}},"state":"sos"}""")).IsSuccess);

        await using var officer = await browser.OpenAsync(Silo);
        await officer.SignInAsUserAsync(duty, Password);

        foreach (var page in new[] { wall, hotline, officer })
        {
            await Assertions.Expect(Alert(page, field.AssetId)).ToBeVisibleAsync();
            await page.Page.ClickAsync($"li.request[data-request-id='{requestId}']");
            await Assertions.Expect(page.Page.Locator($"#recommendations li[data-team-id='{team.AssetId}']")).ToBeVisibleAsync();
        }

        // The viewer: no acknowledging, no new request, no assigning; not after a language switch either.
        await Assertions.Expect(Alert(wall, field.AssetId).Locator("button.ack")).ToHaveCountAsync(0);
        await Assertions.Expect(wall.Page.Locator("#new-request, #request-form")).ToHaveCountAsync(0);
        await Assertions.Expect(wall.Page.Locator("#recommendations button.assign")).ToHaveCountAsync(0);
        await wall.Page.SelectOptionAsync("#language", "km");
        await Assertions.Expect(Alert(wall, field.AssetId).Locator(".severity")).ToHaveTextAsync("ធ្ងន់ធ្ងរ");
        await Assertions.Expect(Alert(wall, field.AssetId).Locator("button.ack")).ToHaveCountAsync(0);
        await Assertions.Expect(wall.Page.Locator("#recommendations h3")).ToContainTextAsync("ក្រុមដែលបានណែនាំ");
        await Assertions.Expect(wall.Page.Locator("#recommendations button.assign")).ToHaveCountAsync(0);
        await wall.ScreenshotAsync(browser.Screenshots, "viewer-khmer");
        await wall.Page.SelectOptionAsync("#language", "en");

        // The duty officer acknowledges alerts but does not dispatch.
        await Assertions.Expect(Alert(officer, field.AssetId).Locator("button.ack")).ToHaveCountAsync(1);
        await Assertions.Expect(officer.Page.Locator("#new-request, #request-form")).ToHaveCountAsync(0);
        await Assertions.Expect(officer.Page.Locator("#recommendations button.assign")).ToHaveCountAsync(0);

        // The dispatcher does both; the acknowledgement carries the dispatcher's name to every page.
        await Assertions.Expect(hotline.Page.Locator("#new-request")).ToBeVisibleAsync();
        await Assertions.Expect(hotline.Page.Locator($"#recommendations li[data-team-id='{team.AssetId}'] button.assign")).ToBeVisibleAsync();
        await hotline.ScreenshotAsync(browser.Screenshots, "dispatcher");
        await Alert(hotline, field.AssetId).Locator("button.ack").ClickAsync();
        await Assertions.Expect(Alert(wall, field.AssetId).Locator(".acknowledged")).ToContainTextAsync(dispatcher);
        await Assertions.Expect(Alert(officer, field.AssetId).Locator(".acknowledged")).ToContainTextAsync(dispatcher);

        var cancel = await Silo.Http.PostAsync($"/api/dispatch/requests/{requestId}/cancel", null);
        cancel.EnsureSuccessStatusCode();
        NoErrors(wall);
        NoErrors(hotline);
        NoErrors(officer);
    }

    [Fact]
    public async Task A_deleted_user_is_signed_out_with_a_clear_message()
    {
        var username = await UserAsync(Silo, "viewer", "Leaving soon");
        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsUserAsync(username, Password);
        // The picture is read in full: what ends the session is the hub, closed by the server.
        await dashboard.Page.WaitForFunctionAsync("() => window.cmacLive.summary().synced >= 1");

        var deleted = await Silo.Http.DeleteAsync($"/api/users/{username}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await Assertions.Expect(dashboard.Page.Locator("#sign-in-error"))
            .ToHaveTextAsync("Your session has ended; sign in again.", new() { Timeout = 15_000 });
        Assert.False(await dashboard.Page.IsVisibleAsync("#dashboard"));
        Assert.Null(await dashboard.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('cmaclive.token')"));
        OnlyRefusals(dashboard);
    }

    [Fact]
    public async Task Roles_changed_while_signed_in_take_effect_on_the_open_page()
    {
        var username = await UserAsync(Silo, "dispatcher", "Moved to the wall");
        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsUserAsync(username, Password);
        await dashboard.Page.WaitForFunctionAsync("() => window.cmacLive.summary().synced >= 1");
        await Assertions.Expect(dashboard.Page.Locator("#new-request")).ToBeVisibleAsync();

        // The server closes the hub of a user whose roles changed; the page reads who it is again and redraws.
        var put = await Silo.PutJsonAsync($"/api/users/{username}", new { displayName = "Moved to the wall", roles = new[] { "viewer" } });
        put.EnsureSuccessStatusCode();
        await Assertions.Expect(dashboard.Page.Locator("#new-request, #request-form")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await Assertions.Expect(dashboard.Page.Locator("#dashboard")).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.Page.Locator("#user-roles")).ToContainTextAsync("iewer");
        NoErrors(dashboard);
    }

    [Fact]
    public async Task An_expired_session_signs_out_with_a_clear_message_in_either_language()
    {
        var folder = TestSilo.NewDataFolder();
        var silo = await TestSilo.StartAsync(folder, "--Auth:TokenLifetime=00:00:05");
        try
        {
            var username = await UserAsync(silo, "dispatcher", "Night shift");
            await using var dashboard = await browser.OpenAsync(silo);
            await dashboard.SignInAsUserAsync(username, Password);
            await Assertions.Expect(dashboard.Page.Locator("#user-name")).ToHaveTextAsync("Night shift");

            await Assertions.Expect(dashboard.Page.Locator("#sign-in-error"))
                .ToHaveTextAsync("Your session has ended; sign in again.", new() { Timeout = 15_000 });
            Assert.False(await dashboard.Page.IsVisibleAsync("#dashboard"));
            Assert.False(await dashboard.Page.IsVisibleAsync("#session"));
            Assert.Equal(username, await dashboard.Page.InputValueAsync("#username"));
            await dashboard.ScreenshotAsync(browser.Screenshots, "session-ended");
            await dashboard.Page.SelectOptionAsync("#language", "km");
            await Assertions.Expect(dashboard.Page.Locator("#sign-in-error")).ToHaveTextAsync("វគ្គប្រើប្រាស់របស់អ្នកបានបញ្ចប់ហើយ សូមចូលម្ដងទៀត។");
            await dashboard.Page.SelectOptionAsync("#language", "en");
            OnlyRefusals(dashboard);
        }
        finally
        {
            await silo.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ILocator Alert(DashboardPage page, string assetId) =>
        page.Page.Locator("li.alert", new PageLocatorOptions { HasText = assetId });

    /// <summary>A user with one role and the test password, made by the administrator over REST.</summary>
    private static async Task<string> UserAsync(TestSilo silo, string role, string displayName)
    {
        var username = TrackedAsset.NewId(role);
        var put = await silo.PutJsonAsync($"/api/users/{username}", new { displayName, roles = new[] { role }, password = Password });
        put.EnsureSuccessStatusCode();
        return username;
    }

    private static void NoErrors(DashboardPage page) =>
        Assert.True(page.Errors.Count == 0, "console errors: " + string.Join(" | ", page.Errors));

    /// <summary>Only the refusals the test provoked may have been logged (the browser logs every 401 it receives).</summary>
    private static void OnlyRefusals(DashboardPage page, params string[] expected)
    {
        string[] allowed = ["401", .. expected];
        var others = page.Errors.Where(e => !allowed.Any(a => e.Contains(a, StringComparison.Ordinal))).ToList();
        Assert.True(others.Count == 0, "console errors: " + string.Join(" | ", others));
    }
}
