using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace CmacLive.EndToEnd.Tests;

/// <summary><c>Mqtt:Mode=External</c> against a real Mosquitto, with silo processes subscribed through a shared subscription.</summary>
[Collection(SiloCollection.Name)]
public sealed class ExternalBrokerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Fixes_flow_through_Mosquitto_and_a_silo_killed_and_restarted_loses_none()
    {
        var devices = Enumerable.Range(0, 4).ToDictionary(i => $"trk-ext-{i:00}", i => $"broker-secret-{i}");
        await using var mosquitto = await TestMosquitto.StartAsync(devices);
        var dataFolder = TestSilo.NewDataFolder();
        string[] settings =
        [
            $"--Storage:ConnectionString=Data Source={Path.Combine(dataFolder, "cmaclive.db")}",
            .. mosquitto.SiloArguments("cmaclive-test-silo"),
        ];
        var silo = await SiloProcess.StartAsync("external", settings, mosquitto.Port);
        try
        {
            var publishers = new List<SequencedPublisher>();
            var assets = new List<string>();
            foreach (var (deviceId, password) in devices)
            {
                var assetId = $"DU4-EXT-{deviceId[^2..]}";
                await silo.ProvisionAsync(assetId, deviceId, unit: "DU4"); // binds the device; the broker checks its password
                assets.Add(assetId);
                publishers.Add(new SequencedPublisher(deviceId, password, [mosquitto.Port], 0, lon: 103.2 + (assets.Count * 0.01)));
            }

            await using (var dashboard = await HubProbe.ConnectAsync(silo))
            {
                // Fixes flow: device → Mosquitto → silo → dashboard.
                await using var first = await DeviceProbe.ConnectAsync(mosquitto.Port, "trk-ext-00", devices["trk-ext-00"]);
                Assert.True((await first.PublishFixAsync(12.61, 103.21, DateTimeOffset.UtcNow.AddMinutes(-1))).IsSuccess);
                await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assets[0] && HubProbe.Lat(s) == 12.61, seconds: 20);

                // The broker's ACL: a device cannot publish for another.
                var forged = await first.PublishAsync("cmac/v1/trk-ext-01/position", DeviceProbe.Fix(12.99, 103.99, DateTimeOffset.UtcNow));
                Assert.False(forged.IsSuccess);

                // A dispatch reaches the team's tracker through the broker, and its acknowledgement comes back.
                var commands = await first.SubscribeCommandsAsync();
                var filed = await silo.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat = 12.65, lon = 103.25, found = "uxo" });
                var id = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
                var assigned = await silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/assign", new { teamId = assets[0] });
                Assert.Equal(System.Net.HttpStatusCode.OK, assigned.StatusCode);
                var command = await DeviceProbe.NextAsync(commands, c => c.GetProperty("requestId").GetString() == id);
                Assert.Equal("assignment", command.GetProperty("type").GetString());
                var ack = await first.PublishAsync("cmac/v1/trk-ext-00/ack", $$"""{"ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"requestId":"{{id}}"}""");
                Assert.True(ack.IsSuccess);
                await dashboard.WaitForAsync("dispatchUpdated", r => r.GetProperty("id").GetString() == id && r.GetProperty("status").GetString() == "acknowledged", seconds: 20);
                var cancelled = await silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{id}/cancel", new { reason = "test over" });
                Assert.Equal(System.Net.HttpStatusCode.OK, cancelled.StatusCode);
                await DeviceProbe.NextAsync(commands, c => c.GetProperty("type").GetString() == "cancelled" && c.GetProperty("requestId").GetString() == id);
            }

            await using var fleet = PublisherFleet.Start(publishers, Interval, TimeSpan.FromMinutes(3));
            await FaultChecks.EventuallyAsync(() => publishers.All(p => p.Acked.Count >= 20), TimeSpan.FromSeconds(30), "every device streaming");
            await silo.KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            await silo.DisposeAsync();
            await Task.Delay(TimeSpan.FromSeconds(2)); // the broker keeps taking fixes while no silo is there
            silo = await SiloProcess.StartAsync("external", settings, mosquitto.Port);
            var restartedIn = DateTimeOffset.UtcNow - killedAt;
            await FaultChecks.EventuallyAsync(() => publishers.All(p => p.Acked.Count(f => f.AckedAt > killedAt) >= 40), TimeSpan.FromSeconds(60), "streaming on after the restart");
            await fleet.StopAsync();

            // Everything the broker took is stored once the silo has caught up with its session.
            string? problem = null;
            var caughtUp = DateTimeOffset.UtcNow;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            for (var i = 0; i < assets.Count; i++)
            {
                while ((problem = await FaultChecks.StoredOnceProblemAsync(silo, assets[i], publishers[i].Acked)) is not null && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(250);
                }

                Assert.True(problem is null, problem);
            }

            output.WriteLine($"silo back {restartedIn.TotalSeconds:0.0} s after SIGKILL; {publishers.Sum(p => p.Acked.Count)} fixes taken by Mosquitto, all stored once; checked {(DateTimeOffset.UtcNow - caughtUp).TotalSeconds:0.0} s after the devices stopped");
            var stats = await silo.GetJsonAsync<JsonElement>("/api/ingest/stats");
            output.WriteLine($"ingest stats after the restart: {stats}");
        }
        finally
        {
            await silo.DisposeAsync();
            Directory.Delete(dataFolder, recursive: true);
        }
    }
}
