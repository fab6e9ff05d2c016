using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CmacLive.EndToEnd.Tests;

/// <summary>Every kind of change, made by real users over REST, found in the audit trail under their names.</summary>
[Collection(SiloCollection.Name)]
public sealed class AuditTrailTests(SiloFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task Every_change_is_in_the_audit_trail_with_the_signed_in_user_and_on_whose_behalf()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string officer = $"officer-{suffix}", dispatcher = $"dispatcher-{suffix}", chief = $"chief-{suffix}", viewer = $"wall-{suffix}";
        await Silo.CreateUserAsync(officer, "operator");
        await Silo.CreateUserAsync(dispatcher, "dispatcher");
        await Silo.CreateUserAsync(chief, "admin");
        await Silo.CreateUserAsync(viewer, "viewer");
        using var asOfficer = Silo.ClientWith(await Silo.SignInAsync(officer));
        using var asDispatcher = Silo.ClientWith(await Silo.SignInAsync(dispatcher));
        using var asChief = Silo.ClientWith(await Silo.SignInAsync(chief));
        using var asViewer = Silo.ClientWith(await Silo.SignInAsync(viewer));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        // The duty officer: asset, device, area, land release, task, project, a detection decided and an SOS acknowledged.
        var asset = $"DU5-AUD-{suffix}";
        var device = $"trk-aud-{suffix}";
        await OkAsync(await asOfficer.PutAsJsonAsync($"/api/assets/{asset}", new
        {
            kind = "team", name = "Audit team", unit = "DU5", capabilities = new[] { "eod" },
            contact = new { name = "Sok Dara", phone = "+855 12 345 678" }, // not part of an asset: never kept
        }));
        await OkAsync(await asOfficer.PutAsJsonAsync($"/api/devices/{device}", new { assetId = asset, kind = "tracker", secret = "audit-device-secret" }));
        var ground = new Ground(300_000 + Random.Shared.Next(0, 50_000), 1_400_000);
        var code = $"AU/CHA/{suffix}";
        var ring = new[] { (0, 0), (100, 0), (100, 100), (0, 100), (0, 0) }.Select(c => ground.At(c.Item1, c.Item2)).Select(p => new[] { p.Lon, p.Lat }).ToArray();
        var escaped = Uri.EscapeDataString(code);
        await OkAsync(await asOfficer.PutAsJsonAsync($"/api/hazard-areas/{escaped}", new
        {
            type = "Feature",
            properties = new { code, type = "CHA", unit = "DU5" },
            geometry = new { type = "Polygon", coordinates = new[] { ring } },
        }));
        await OkAsync(await asOfficer.PostAsJsonAsync($"/api/hazard-areas/{escaped}/status", new { status = "in-clearance", by = "Director Kim" }));
        await OkAsync(await asOfficer.PutAsJsonAsync($"/api/hazard-areas/{escaped}/assets/{asset}", new { }));
        await OkAsync(await asOfficer.DeleteAsync($"/api/hazard-areas/{escaped}/assets/{asset}"));
        await OkAsync(await asOfficer.PutAsJsonAsync($"/api/projects/AUD-{suffix}", new { name = "Audit project", units = new[] { "DU5" }, targetM2 = 1000, start = "2026-01-01", end = "2026-12-31" }));

        var ts = DateTimeOffset.UtcNow.AddSeconds(-5);
        var detection = $"{device}-{ts.ToUnixTimeMilliseconds()}";
        await using (var tracker = await DeviceProbe.ConnectAsync(Silo, device, "audit-device-secret"))
        {
            var (lat, lon) = ground.At(50, 50);
            Assert.True((await tracker.PublishAsync($"cmac/v1/{device}/detection",
                $$"""{"ts":{{ts.ToUnixTimeMilliseconds()}},"lat":{{lat.ToString(CultureInfo.InvariantCulture)}},"lon":{{lon.ToString(CultureInfo.InvariantCulture)}},"sensor":"metal"}""")).IsSuccess);
            await OkAsync(await asOfficer.PostAsJsonAsync($"/api/detections/{detection}/clutter", new { note = "tin can" }));
            Assert.True((await tracker.PublishAsync($"cmac/v1/{device}/status", $$"""{"ts":{{ts.AddSeconds(1).ToUnixTimeMilliseconds()}},"state":"sos"}""")).IsSuccess);
        }

        var alerts = await asOfficer.GetFromJsonAsync<JsonElement>("/api/alerts?open=true");
        var sos = alerts.EnumerateArray().Single(a => a.GetProperty("assetId").GetString() == asset && a.GetProperty("kind").GetString() == "sos").GetProperty("id").GetString()!;
        var acked = await asOfficer.PostAsJsonAsync($"/api/alerts/{Uri.EscapeDataString(sos)}/ack", new { by = "Radio room" });
        await OkAsync(acked);
        var alert = await acked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(officer, alert.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("Radio room", alert.GetProperty("trail").EnumerateArray().Last().GetProperty("onBehalfOf").GetString());

        // The dispatcher files a request and cancels it.
        var filed = await asDispatcher.PostAsJsonAsync("/api/dispatch/requests",
            new { lat = 13.2, lon = 103.1, found = "uxo", reporterName = "Sok Dara", reporterPhone = "+855 12 345 678", by = "Hotline chief" });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var request = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await OkAsync(await asDispatcher.PostAsJsonAsync($"/api/dispatch/requests/{request}/cancel", new { reason = "duplicate call" }));

        // The administrator: a user, a key, its revocation, the user's deletion.
        var temp = $"temp-{suffix}";
        // A user has one name everywhere: the routes take it as stored, in lower case.
        Assert.Equal(HttpStatusCode.BadRequest, (await asChief.PutAsJsonAsync($"/api/users/{temp.ToUpperInvariant()}", new { displayName = "Temp", roles = new[] { "viewer" } })).StatusCode);
        await OkAsync(await asChief.PutAsJsonAsync($"/api/users/{temp}", new { displayName = "Temp", roles = new[] { "viewer" }, password = "a temporary passphrase" }));
        await OkAsync(await asChief.PostAsJsonAsync($"/api/users/{temp}/keys", new { name = "gis" }));
        await OkAsync(await asChief.DeleteAsync($"/api/users/{temp}/keys/gis"));
        await OkAsync(await asChief.DeleteAsync($"/api/users/{temp}"));

        // A refused change leaves no entry.
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.PutAsJsonAsync($"/api/assets/{asset}", new { kind = "team", name = "x", unit = "DU5" })).StatusCode);

        var from = Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture));
        var entries = await asOfficer.GetFromJsonAsync<JsonElement>($"/api/audit?from={from}&limit=500");
        var mine = entries.EnumerateArray().Where(e => e.GetProperty("user").GetString() is { } u && u.EndsWith(suffix, StringComparison.Ordinal)).ToList();
        var seen = mine.Select(e => (e.GetProperty("user").GetString(), e.GetProperty("action").GetString(), e.GetProperty("target").GetString())).ToList();
        Assert.Equal(
        [
            (officer, "asset.put", $"asset:{asset}"),
            (officer, "device.put", $"device:{device}"),
            (officer, "hazard-area.put", $"hazard-area:{code}"),
            (officer, "hazard-area.status", $"hazard-area:{code}"),
            (officer, "hazard-area.assign", $"hazard-area:{code}"),
            (officer, "hazard-area.release", $"hazard-area:{code}"),
            (officer, "project.put", $"project:AUD-{suffix}"),
            (officer, "detection.clutter", $"detection:{detection}"),
            (officer, "alert.acknowledge", $"alert:{sos}"),
            (dispatcher, "request.file", $"request:{request}"),
            (dispatcher, "request.cancel", $"request:{request}"),
            (chief, "user.put", $"user:{temp}"),
            (chief, "api-key.create", $"user:{temp}"),
            (chief, "api-key.revoke", $"user:{temp}"),
            (chief, "user.delete", $"user:{temp}"),
        ], Enumerable.Reverse(seen).ToList());

        // Newest first; who acted for whom; nothing secret or personal in the details.
        Assert.Equal(mine.Select(e => e.GetProperty("at").GetDateTimeOffset()).OrderByDescending(t => t), mine.Select(e => e.GetProperty("at").GetDateTimeOffset()));
        Assert.Equal("Director Kim", mine.Single(e => e.GetProperty("action").GetString() == "hazard-area.status").GetProperty("onBehalfOf").GetString());
        Assert.Equal("Hotline chief", mine.Single(e => e.GetProperty("action").GetString() == "request.file").GetProperty("onBehalfOf").GetString());
        var details = string.Join('\n', mine.Select(e => e.TryGetProperty("detail", out var d) ? d.GetString() : ""));
        Assert.Contains("in-clearance", details, StringComparison.Ordinal);
        Assert.Contains("\"passwordChanged\":true", details, StringComparison.Ordinal);
        Assert.DoesNotContain("contact", details, StringComparison.Ordinal);
        Assert.DoesNotContain("audit-device-secret", details, StringComparison.Ordinal);
        Assert.DoesNotContain("a temporary passphrase", details, StringComparison.Ordinal);
        Assert.DoesNotContain("Sok Dara", details, StringComparison.Ordinal);
        Assert.DoesNotContain("345", details, StringComparison.Ordinal);
        Assert.DoesNotContain("coordinates", details, StringComparison.Ordinal);

        // Filters by user and target; the trail is for admins and operators only.
        var ofTarget = await asChief.GetFromJsonAsync<JsonElement>($"/api/audit?from={from}&target={Uri.EscapeDataString($"asset:{asset}")}");
        Assert.Equal(["asset.put"], ofTarget.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        var ofUser = await asChief.GetFromJsonAsync<JsonElement>($"/api/audit?from={from}&user={dispatcher}");
        Assert.Equal(["request.cancel", "request.file"], ofUser.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await asViewer.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asDispatcher.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await asChief.GetAsync("/api/audit?from=yesterday")).StatusCode);
    }

    private static async Task OkAsync(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}
