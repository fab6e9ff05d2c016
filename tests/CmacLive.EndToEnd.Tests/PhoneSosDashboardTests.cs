using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>A phone's SOS button as the duty officer meets it: in a real headless Chromium, against the phones' silo.</summary>
[Collection(PhoneSiloCollection.Name)]
public sealed class PhoneSosDashboardTests(PhoneSiloFixture fixture, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private TestSilo Silo => fixture.Silo;

    /// <summary>As Traccar Client posts a position: a form, the secret as <c>key=</c> in the server URL.</summary>
    private async Task<HttpStatusCode> PostAsync(string deviceId, string secret, DateTimeOffset t, double lat, string extra = "")
    {
        var form = string.Create(CultureInfo.InvariantCulture,
            $"id={deviceId}&lat={lat}&lon=102.9876&timestamp={t.ToUnixTimeSeconds()}&accuracy=5.0&speed=0.0&bearing=0.0&batt=70&charge=false{extra}");
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(form));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var response = await fixture.Phone.PostAsync($"/?key={Uri.EscapeDataString(secret)}", content);
        return response.StatusCode;
    }

    [Fact]
    public async Task Each_press_of_the_sos_button_sounds_the_alarm_and_lists_its_alert_until_someone_acknowledges_it()
    {
        var assetId = TrackedAsset.NewId("DU5-team");
        var deviceId = TrackedAsset.NewId("phone");
        var secret = await Silo.ProvisionAsync(assetId, deviceId);
        var t = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.OK, await PostAsync(deviceId, secret, t, 13.3600));

        await using var dashboard = await browser.OpenAsync(Silo);
        await dashboard.SignInAsync();
        await WaitAsync(async () => await dashboard.PositionAsync(assetId) is { Lat: 13.3600 });
        var alarms = await AlarmsAsync(dashboard);

        // The button: the alarm sounds once and the alert is listed, naming the phone.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(deviceId, secret, t.AddSeconds(30), 13.3610, "&alarm=sos"));
        var listed = dashboard.Page.Locator("li.alert", new PageLocatorOptions { HasText = deviceId });
        await Assertions.Expect(listed).ToHaveCountAsync(1);
        await WaitAsync(async () => await AlarmsAsync(dashboard) == alarms + 1);

        // The app goes on reporting; pressed again, it sounds again: each press is an alert of its own.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(deviceId, secret, t.AddSeconds(60), 13.3620));
        await WaitAsync(async () => await dashboard.PositionAsync(assetId) is { Lat: 13.3620 });
        Assert.Equal(HttpStatusCode.OK, await PostAsync(deviceId, secret, t.AddSeconds(90), 13.3630, "&alarm=sos"));
        await Assertions.Expect(listed).ToHaveCountAsync(2);
        await WaitAsync(async () => await AlarmsAsync(dashboard) == alarms + 2);

        // Pressed again at once, before any ordinary fix: a new alert, and it sounds too.
        Assert.Equal(HttpStatusCode.OK, await PostAsync(deviceId, secret, t.AddSeconds(95), 13.3630, "&alarm=sos"));
        await Assertions.Expect(listed).ToHaveCountAsync(3);
        await WaitAsync(async () => await AlarmsAsync(dashboard) == alarms + 3);

        // The wall screen's bar counts them as open critical alerts (cleared when raised, open until acknowledged), in red.
        await Assertions.Expect(dashboard.Page.Locator("#situation-bar [data-figure='severity-critical']")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        await Assertions.Expect(dashboard.Page.Locator("[data-tile='alerts']")).ToHaveClassAsync(new Regex(@"\bactive\b"));
        await dashboard.ScreenshotAsync(browser.Screenshots, "phone-sos");

        // Acknowledged from the list, one is closed (it was cleared when raised) and leaves the list; the others stay.
        await listed.First.Locator("button.ack").ClickAsync();
        await Assertions.Expect(listed).ToHaveCountAsync(2);
        await Assertions.Expect(listed.Locator("button.ack")).ToHaveCountAsync(2);
        Assert.True(dashboard.Errors.Count == 0, "console errors: " + string.Join(" | ", dashboard.Errors));
    }

    private static Task<int> AlarmsAsync(DashboardPage page) => page.Page.EvaluateAsync<int>("() => window.cmacLive.summary().alarms");

    private static async Task WaitAsync(Func<Task<bool>> done)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "not within 10 s");
            await Task.Delay(50);
        }
    }
}
