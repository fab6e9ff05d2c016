using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Headless Chromium from the machine's own package (<c>/usr/bin/chromium</c>, installed by the test script),
/// driven by Playwright; never a downloaded browser. One browser for the test class, a fresh context per page.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: <c>artifacts/dashboard/</c> at the repository root.</summary>
    public string Screenshots { get; } = ScreenshotFolder();

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CMAC_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-dev-shm-usage", "--lang=en-GB",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A page of its own, recording every console error, uncaught exception and request.</summary>
    public async Task<DashboardPage> OpenAsync(ISiloEndpoint silo)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(page, context);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                dashboard.Errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => dashboard.Errors.Add($"page error: {error}");
        page.Request += (_, request) => dashboard.Requests.Enqueue(request.Url);
        await page.GotoAsync(silo.BaseAddress.ToString());
        return dashboard;
    }

    private static string ScreenshotFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CmacLive.sln")))
        {
            folder = folder.Parent;
        }

        var path = Path.Combine(folder?.FullName ?? AppContext.BaseDirectory, "artifacts", "dashboard");
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>One open dashboard.</summary>
public sealed class DashboardPage(IPage page, IBrowserContext context) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public List<string> Errors { get; } = [];

    /// <summary>Every URL the page asked for (documents, scripts, pictures, fetches, the hub), in order, from before it loaded.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Signs in with an access token (the break-glass admin token unless told), the form's other way.</summary>
    public async Task SignInAsync(string token = TestSilo.Token)
    {
        await SubmitTokenAsync(token);
        await Page.WaitForSelectorAsync("#dashboard:not([hidden])");
    }

    /// <summary>Pastes a token into the form's token option and submits it, whatever the answer.</summary>
    public async Task SubmitTokenAsync(string token)
    {
        if (await Page.Locator("#token-option").GetAttributeAsync("open") is null)
        {
            await Page.ClickAsync("#token-option summary");
        }

        await Page.FillAsync("#token", token);
        await Page.ClickAsync("#token-sign-in");
    }

    /// <summary>Signs in with a user name and password, the form's main way.</summary>
    public async Task SignInAsUserAsync(string username, string password)
    {
        await SubmitPasswordAsync(username, password);
        await Page.WaitForSelectorAsync("#dashboard:not([hidden])");
    }

    /// <summary>Fills the user name and password and submits them, whatever the answer.</summary>
    public async Task SubmitPasswordAsync(string username, string password)
    {
        await Page.FillAsync("#username", username);
        await Page.FillAsync("#password", password);
        await Page.ClickAsync("#sign-in-button");
    }

    /// <summary>Where the page has put an asset's marker: (lat, lon), or null.</summary>
    public async Task<(double Lat, double Lon)?> PositionAsync(string assetId)
    {
        var position = await Page.EvaluateAsync<double[]?>("id => { const p = window.cmacLive.position(id); return p ? [p.lat, p.lng] : null; }", assetId);
        return position is [var lat, var lon] ? (lat, lon) : null;
    }

    public async Task ScreenshotAsync(string folder, string name) =>
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png") });

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
