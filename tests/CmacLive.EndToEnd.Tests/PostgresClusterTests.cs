using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CmacLive.Testing;
using Npgsql;

namespace CmacLive.EndToEnd.Tests;

/// <summary>Two silo processes of one Orleans cluster on PostgreSQL (ADO.NET membership, state and reminders).</summary>
[Collection(SiloCollection.Name)]
public sealed class PostgresClusterTests
{
    [Fact]
    public async Task A_device_on_one_silo_reaches_a_dashboard_on_the_other_and_back()
    {
        await using var pair = await SiloPair.StartAsync("cmac_cluster");
        var (database, a, b) = (pair.Database, pair.A, pair.B);

        var secret1 = await a.ProvisionAsync("DU5-EOD-01", "trk-01");
        var secret2 = await b.ProvisionAsync("DU3-MDD-01", "trk-02", kind: "dog", unit: "DU3");
        await using var dashboardOnB = await HubProbe.ConnectAsync(b);
        await using var dashboardOnA = await HubProbe.ConnectAsync(a);
        await using var deviceOnA = await DeviceProbe.ConnectAsync(a, "trk-01", secret1);
        await using var deviceOnB = await DeviceProbe.ConnectAsync(b, "trk-02", secret2);

        await deviceOnA.PublishFixAsync(13.36, 102.98, DateTimeOffset.UtcNow);
        await deviceOnB.PublishFixAsync(12.57, 102.82, DateTimeOffset.UtcNow);

        await dashboardOnB.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == "DU5-EOD-01" && HubProbe.Lat(s) == 13.36, seconds: 20);
        await dashboardOnA.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == "DU3-MDD-01" && HubProbe.Lat(s) == 12.57, seconds: 20);
        var fromB = await b.GetJsonAsync<JsonElement>("/api/assets/DU5-EOD-01");
        Assert.Equal(13.36, fromB.GetProperty("position").GetProperty("lat").GetDouble());

        // History lives in PostgreSQL, in the partition of this month, whichever silo wrote it.
        var track = await b.GetJsonAsync<JsonElement>("/api/assets/DU5-EOD-01/track");
        Assert.Equal(1, track.GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var partitions = new NpgsqlCommand(
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'history_fix'::regclass", connection);
        Assert.True((long)(await partitions.ExecuteScalarAsync())! >= 4, "the current month and three ahead");
    }

    [Fact]
    public async Task An_escalation_is_raised_by_the_survivor_when_a_silo_is_killed()
    {
        string[] dispatch = ["--Dispatch:AckTimeout=00:00:25", "--Dispatch:EscalationCheck=00:00:02"];
        await using var pair = await SiloPair.StartAsync("cmac_dispatch_loss", dispatch);
        var (database, a, b) = (pair.Database, pair.A, pair.B);

        var secret = await a.ProvisionAsync("DU1-EOD-03", "trk-eod-03", unit: "DU1");
        await using (var device = await DeviceProbe.ConnectAsync(a, "trk-eod-03", secret))
        {
            Assert.True((await device.PublishFixAsync(13.10, 103.20, DateTimeOffset.UtcNow.AddSeconds(-1))).IsSuccess);
        }

        var filed = await a.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat = 13.12, lon = 103.22, found = "uxo", nearPeople = true });
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await a.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/assign", new { teamId = "DU1-EOD-03" })).StatusCode);
        await using var dashboardOnB = await HubProbe.ConnectAsync(b);

        // Wherever the request and its reminder lived, the survivor raises the escalation.
        await a.KillAsync();
        var alert = await dashboardOnB.WaitForAsync("alertRaised",
            x => x.GetProperty("kind").GetString() == "dispatch-unacknowledged" && x.GetProperty("requestId").GetString() == id, seconds: 90);
        Assert.Equal("DU1-EOD-03", alert.GetProperty("assetId").GetString());
        var view = await b.GetJsonAsync<JsonElement>($"/api/dispatch/requests/{id}");
        Assert.Equal("assigned", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_user_or_a_device_revoked_through_one_silo_is_cut_off_on_the_other_within_seconds()
    {
        await using var pair = await SiloPair.StartAsync("cmac_people");
        var (database, a, b) = (pair.Database, pair.A, pair.B);

        // One first administrator for the cluster, whichever silo made it.
        var users = await b.GetJsonAsync<JsonElement>("/api/users");
        Assert.Equal(["admin"], users.EnumerateArray().Select(u => u.GetProperty("username").GetString()));

        // A token signed by A holds on B: the signing keys are the cluster's.
        await a.CreateUserAsync("duty-officer", "operator");
        var token = await a.SignInAsync("duty-officer");
        var created = await a.Http.PostAsJsonAsync("/api/users/duty-officer/keys", new { name = "gis" });
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString();
        using var tokenOnB = b.ClientWith(token);
        using var keyOnB = b.ClientWith(key);
        Assert.Equal(HttpStatusCode.OK, (await tokenOnB.GetAsync("/api/assets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keyOnB.GetAsync("/api/assets")).StatusCode);
        await using var hubOnB = await HubProbe.ConnectAsync(b, token);
        var hubClosed = new TaskCompletionSource<TimeSpan>();
        var watch = new System.Diagnostics.Stopwatch();
        hubOnB.Connection.Closed += _ =>
        {
            hubClosed.TrySetResult(watch.Elapsed);
            return Task.CompletedTask;
        };

        watch.Start();
        Assert.Equal(HttpStatusCode.NoContent, (await a.Http.DeleteAsync("/api/users/duty-officer")).StatusCode);
        TimeSpan? tokenRefused = null;
        TimeSpan? keyRefused = null;
        while (watch.Elapsed < TimeSpan.FromSeconds(10) && (tokenRefused is null || keyRefused is null))
        {
            if (tokenRefused is null && (await tokenOnB.GetAsync("/api/assets")).StatusCode == HttpStatusCode.Unauthorized)
            {
                tokenRefused = watch.Elapsed;
            }

            if (keyRefused is null && (await keyOnB.GetAsync("/api/assets")).StatusCode == HttpStatusCode.Unauthorized)
            {
                keyRefused = watch.Elapsed;
            }

            await Task.Delay(100);
        }

        Assert.True(tokenRefused < TimeSpan.FromSeconds(5), $"token refused on B after {tokenRefused?.TotalSeconds:F1} s");
        Assert.True(keyRefused < TimeSpan.FromSeconds(5), $"key refused on B after {keyRefused?.TotalSeconds:F1} s");
        var closedAfter = await hubClosed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(closedAfter < TimeSpan.FromSeconds(5), $"hub connection on B closed after {closedAfter.TotalSeconds:F1} s");

        // A tracker connected to A, deleted through B: its session on A is closed within 2 s.
        var secret = await b.ProvisionAsync("DU2-REV-01", "trk-rev-01");
        await using var tracker = await DeviceProbe.ConnectAsync(a, "trk-rev-01", secret);
        var trackerClosed = LivePathTests.Closed(tracker);
        watch.Restart();
        Assert.Equal(HttpStatusCode.NoContent, (await b.Http.DeleteAsync("/api/devices/trk-rev-01")).StatusCode);
        await trackerClosed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"the tracker's session on A closed {watch.Elapsed.TotalSeconds:F1} s after its deletion through B");
    }
}
