using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using CmacLive.Geo;
using NetTopologySuite.Geometries;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A community request end to end: filed over REST, the assignment received by the team's tracker over
/// MQTT, acknowledged and followed over MQTT, watched on the hub through to resolved; escalation across a restart.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class DispatchTests(SiloFixture fixture)
{
    private static int s_places;

    private readonly Ground _ground = new(300_000 + (20_000 * Interlocked.Increment(ref s_places)), 1_480_000);

    private TestSilo Silo => fixture.Silo;

    private (double Lat, double Lon) At(double x, double y) => _ground.At(x, y);

    private static string Ts(DateTimeOffset ts) => Ground.Ts(ts);

    [Fact]
    public async Task A_viewer_gets_the_reporter_masked_over_rest_and_the_hub_while_a_dispatcher_gets_it_whole()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await Silo.CreateUserAsync($"wall-{tag}", "viewer");
        await Silo.CreateUserAsync($"desk-{tag}", "dispatcher");
        var viewerToken = await Silo.SignInAsync($"wall-{tag}");
        var dispatcherToken = await Silo.SignInAsync($"desk-{tag}");
        using var viewer = Silo.ClientWith(viewerToken);
        using var dispatcher = Silo.ClientWith(dispatcherToken);
        await using var wall = await HubProbe.ConnectAsync(Silo, viewerToken);
        await using var desk = await HubProbe.ConnectAsync(Silo, dispatcherToken);
        await wall.Connection.InvokeAsync("Focus", new[] { "DU5" }); // a focused viewer too

        var (lat, lon) = At(0, 0);
        var filed = await dispatcher.PostAsJsonAsync("/api/dispatch/requests", new
        {
            lat, lon, village = "Ou Chamlong", found = "uxo", reporterName = "Sok Dara", reporterPhone = "+855 12 345 678", unit = "DU5",
        });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var whole = await filed.Content.ReadFromJsonAsync<JsonElement>();
        var id = whole.GetProperty("id").GetString()!;
        Assert.Equal("Sok Dara", whole.GetProperty("report").GetProperty("reporterName").GetString());

        var masked = await viewer.GetFromJsonAsync<JsonElement>($"/api/dispatch/requests/{id}");
        Assert.Equal("S** D***", masked.GetProperty("report").GetProperty("reporterName").GetString());
        Assert.Equal("+855 ** *** *78", masked.GetProperty("report").GetProperty("reporterPhone").GetString());
        Assert.Equal("Ou Chamlong", masked.GetProperty("report").GetProperty("village").GetString());
        var read = await dispatcher.GetFromJsonAsync<JsonElement>($"/api/dispatch/requests/{id}");
        Assert.Equal("+855 12 345 678", read.GetProperty("report").GetProperty("reporterPhone").GetString());

        var onWall = await wall.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id);
        Assert.Equal("S** D***", onWall.GetProperty("report").GetProperty("reporterName").GetString());
        Assert.Equal("+855 ** *** *78", onWall.GetProperty("report").GetProperty("reporterPhone").GetString());
        var onDesk = await desk.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id);
        Assert.Equal("Sok Dara", onDesk.GetProperty("report").GetProperty("reporterName").GetString());

        // Each connection gets the request once, in its own form.
        var later = await Task.WhenAll(wall.CollectAsync(TimeSpan.FromSeconds(1)), desk.CollectAsync(TimeSpan.FromSeconds(1)));
        Assert.All(later, events => Assert.DoesNotContain(events, e => e.Event == "dispatchUpdated" && e.Payload.GetProperty("id").GetString() == id));
    }

    [Fact]
    public async Task A_request_goes_from_the_hotline_to_a_team_on_site_over_rest_mqtt_and_the_hub()
    {
        await using var team = await TrackedAsset.StartAsync(Silo, unit: "DU5");
        var commands = await team.Tracker.SubscribeCommandsAsync();
        var t = DateTimeOffset.UtcNow.AddMinutes(-2);
        var (lat0, lon0) = At(3_000, 0);
        Assert.True((await team.Tracker.PublishFixAsync(lat0, lon0, t)).IsSuccess);
        await team.UpdateAsync();

        // Bad input is refused field by field.
        var bad = await Silo.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat = 200, lon = 103, found = "grenade" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("lat", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("found", out _));

        // The same request filed twice at once under its id (a retry racing the first try): one creates it, the other is
        // told it exists; never both created.
        var twice = new { id = $"REQ-RACE-{Guid.NewGuid():N}"[..24], lat = lat0, lon = lon0, found = "uxo" };
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Silo.Http.PostAsJsonAsync("/api/dispatch/requests", twice)));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], answers.Select(a => a.StatusCode).Order());

        var (lat, lon) = At(0, 0);
        var filed = await Silo.Http.PostAsJsonAsync("/api/dispatch/requests", new
        {
            lat, lon, village = "Ou Chamlong", commune = "Stueng Kach", district = "Sala Krau", province = "Pailin",
            found = "cluster-munition", description = "Three bomblets beside the path to the school", reporterName = "Sok Chea",
            reporterPhone = "+855 12 345 678", nearPeople = true, nearSchool = false, nearRoad = true, unit = "DU5",
        });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var request = await filed.Content.ReadFromJsonAsync<JsonElement>();
        var id = request.GetProperty("id").GetString()!;
        Assert.Equal($"/api/dispatch/requests/{id}", filed.Headers.Location!.OriginalString);
        Assert.Equal("triaged", request.GetProperty("status").GetString());
        Assert.Equal("emergency", request.GetProperty("priority").GetString());
        var mine = request.GetProperty("recommendations").EnumerateArray().Single(r => r.GetProperty("teamId").GetString() == team.AssetId);
        Assert.InRange(mine.GetProperty("distanceM").GetDouble(), 2_985, 3_015);
        Assert.InRange(mine.GetProperty("etaMinutes").GetDouble(), 6.2, 6.4); // 3 km × 1.4 at 40 km/h

        var assign = await Silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/assign", new { teamId = team.AssetId, by = "Dara (dispatch)" });
        Assert.Equal(HttpStatusCode.OK, assign.StatusCode);
        var command = await DeviceProbe.NextAsync(commands, c => c.GetProperty("requestId").GetString() == id);
        Assert.Equal("assignment", command.GetProperty("type").GetString());
        Assert.Equal(lat, command.GetProperty("lat").GetDouble(), 9);
        Assert.Equal("emergency", command.GetProperty("priority").GetString());
        await team.Hub.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id && r.GetProperty("status").GetString() == "assigned");
        Assert.Equal(id, (await Silo.GetJsonAsync<JsonElement>($"/api/assets/{team.AssetId}")).GetProperty("dispatch").GetString());

        // A second dispatcher cannot take the team for another request.
        var other = await Silo.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat, lon, found = "uxo" });
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var taken = await Silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{otherId}/assign", new { teamId = team.AssetId });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);

        var refused = await team.Tracker.PublishAsync($"cmac/v1/{team.DeviceId}/ack", $$"""{"ts":"{{Ts(DateTimeOffset.UtcNow)}}","requestId":"REQ-NO-SUCH"}""");
        Assert.False(refused.IsSuccess);
        var ack = await team.Tracker.PublishAsync($"cmac/v1/{team.DeviceId}/ack", $$"""{"ts":"{{Ts(DateTimeOffset.UtcNow)}}","requestId":"{{id}}"}""");
        Assert.True(ack.IsSuccess, ack.ReasonCode.ToString());
        await team.Hub.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id && r.GetProperty("status").GetString() == "acknowledged");
        var trail = await Silo.GetJsonAsync<JsonElement>($"/api/audit?target={Uri.EscapeDataString($"request:{id}")}");
        Assert.Equal([($"device:{team.DeviceId}", "request.acknowledge"), ("break-glass", "request.assign"), ("break-glass", "request.file")],
            trail.EnumerateArray().Select(e => (e.GetProperty("user").GetString(), e.GetProperty("action").GetString())));

        var now = DateTimeOffset.UtcNow;
        Assert.True((await team.Tracker.PublishAsync($"cmac/v1/{team.DeviceId}/status", $$"""{"ts":"{{Ts(now)}}","state":"travelling"}""")).IsSuccess);
        await team.Hub.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id && r.GetProperty("status").GetString() == "en-route");
        var (latNear, lonNear) = At(120, 0);
        Assert.True((await team.Tracker.PublishFixAsync(latNear, lonNear, now.AddSeconds(1))).IsSuccess);
        var onSite = await team.Hub.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id && r.GetProperty("status").GetString() == "on-site");
        Assert.InRange(onSite.GetProperty("teamDistanceM").GetDouble(), 110, 130);

        var badOutcome = await Silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/resolve", new { outcome = "destroyed" });
        Assert.Equal(HttpStatusCode.BadRequest, badOutcome.StatusCode);
        var resolve = await Silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/resolve", new { outcome = "destroyed", items = 3, note = "3 × BLU-24/B destroyed in situ" });
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        var resolved = await team.Hub.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id && r.GetProperty("status").GetString() == "resolved");
        Assert.Equal(
            ["received", "triaged", "assigned", "acknowledged", "en-route", "on-site", "resolved"],
            resolved.GetProperty("trail").EnumerateArray().Select(s => s.GetProperty("to").GetString()));
        Assert.Equal("break-glass", resolved.GetProperty("trail")[2].GetProperty("by").GetString());
        Assert.Equal("Dara (dispatch)", resolved.GetProperty("trail")[2].GetProperty("onBehalfOf").GetString());
        Assert.Equal(JsonValueKind.Null, (await Silo.GetJsonAsync<JsonElement>($"/api/assets/{team.AssetId}")).GetProperty("dispatch").ValueKind);
        var again = await Silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/cancel", new { reason = "too late" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // Lists and figures.
        var open = await Silo.GetJsonAsync<JsonElement>("/api/dispatch/requests?open=true");
        Assert.DoesNotContain(open.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.Contains(open.EnumerateArray(), r => r.GetProperty("id").GetString() == otherId);
        var du5 = await Silo.GetJsonAsync<JsonElement>("/api/dispatch/requests?unit=DU5&status=resolved&province=pailin");
        Assert.Contains(du5.EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        var figures = await Silo.GetJsonAsync<JsonElement>("/api/dispatch/figures?unit=DU5");
        var row = figures.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("unit").GetString() == "DU5" && r.GetProperty("priority").GetString() == "emergency");
        Assert.True(row.GetProperty("resolved").GetInt32() >= 1);
        Assert.True(row.GetProperty("toResolve").GetProperty("count").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.BadRequest, (await Silo.Http.GetAsync("/api/dispatch/figures?to=0001-01-05")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Silo.Http.GetAsync("/api/dispatch/requests?from=2026-01-01&to=2028-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Silo.Http.GetAsync("/api/dispatch/requests?status=lost")).StatusCode);
        var csv = await Silo.Http.GetStringAsync("/api/dispatch/figures?unit=DU5&format=csv");
        Assert.StartsWith("unit,priority,requests,open,resolved,cancelled,to_assign_count", csv, StringComparison.Ordinal);
        Assert.Contains("\nDU5,emergency,", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_unacknowledged_assignment_is_escalated_after_a_silo_restart(string storage)
    {
        var folder = TestSilo.NewDataFolder();
        List<string> settings = ["--Dispatch:AckTimeout=00:00:12", "--Dispatch:EscalationCheck=00:00:02"];
        if (storage == "Postgres")
        {
            // State, reminders and history in PostgreSQL; one silo (localhost clustering).
            var database = await CmacLive.Testing.TestPostgres.CreateDatabaseAsync("cmac_dispatch");
            settings.AddRange(["--Storage:Provider=Postgres", $"--Storage:ConnectionString={database}"]);
        }

        string id;
        var (lat, lon) = At(0, 0);
        await using (var first = await TestSilo.StartAsync(folder, [.. settings]))
        {
            var secret = await first.ProvisionAsync("DU2-EOD-07", "trk-eod-07", unit: "DU2");
            await using var device = await DeviceProbe.ConnectAsync(first, "trk-eod-07", secret);
            var (tlat, tlon) = At(1_500, 0);
            Assert.True((await device.PublishFixAsync(tlat, tlon, DateTimeOffset.UtcNow.AddSeconds(-1))).IsSuccess);
            var filed = await first.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat, lon, found = "mine", nearRoad = true });
            id = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var assigned = await first.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/assign", new { teamId = "DU2-EOD-07" });
            Assert.Equal(HttpStatusCode.OK, assigned.StatusCode);
        }

        // The silo that held the request is gone before the deadline; the new one keeps its reminder.
        await using var second = await TestSilo.StartAsync(folder, [.. settings]);
        await using var hub = await HubProbe.ConnectAsync(second);
        var alert = await hub.WaitForAsync("alertRaised",
            a => a.GetProperty("kind").GetString() == "dispatch-unacknowledged" && a.GetProperty("requestId").GetString() == id, seconds: 30);
        Assert.Equal("DU2-EOD-07", alert.GetProperty("assetId").GetString());
        Assert.Equal("DU2", alert.GetProperty("unit").GetString());
        var open = await second.GetJsonAsync<JsonElement>("/api/alerts?open=true");
        Assert.Contains(open.EnumerateArray(), a => a.GetProperty("requestId").GetString() == id);
        var view = await second.GetJsonAsync<JsonElement>($"/api/dispatch/requests/{id}");
        Assert.Equal("assigned", view.GetProperty("status").GetString());
        Directory.Delete(folder, recursive: true);
    }
}
