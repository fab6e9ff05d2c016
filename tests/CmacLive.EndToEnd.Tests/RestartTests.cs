using System.Text.Json;

namespace CmacLive.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class RestartTests
{
    [Fact]
    public async Task Assets_devices_hazard_areas_and_last_status_survive_a_silo_restart_on_sqlite()
    {
        var folder = TestSilo.NewDataFolder();
        var ts = DateTimeOffset.UtcNow.AddSeconds(-2);
        string secret;
        DeviceProbe stillConnected;
        await using (var first = await TestSilo.StartAsync(folder))
        {
            secret = await first.ProvisionAsync("DU5-EOD-01", "trk-01");
            var otherSecret = await first.ProvisionAsync("DU5-EOD-02", "trk-02");
            stillConnected = await DeviceProbe.ConnectAsync(first, "trk-02", otherSecret);
            await stillConnected.PublishFixAsync(13.37, 102.99, ts);
            var area = await first.PutJsonAsync("/api/hazard-areas/BS%2FCHA%2FCMAA%2F60222", new
            {
                type = "Feature",
                properties = new { type = "CHA" },
                geometry = new
                {
                    type = "Polygon",
                    coordinates = new[] { new[] { new[] { 102.98, 13.36 }, new[] { 102.99, 13.36 }, new[] { 102.99, 13.37 }, new[] { 102.98, 13.37 }, new[] { 102.98, 13.36 } } },
                },
            });
            area.EnsureSuccessStatusCode();
            await using var hub = await HubProbe.ConnectAsync(first);
            await using var tracker = await DeviceProbe.ConnectAsync(first, "trk-01", secret);
            await tracker.PublishFixAsync(13.3633, 102.9876, ts, bat: 77);
            await hub.WaitForAsync("assetUpdated", s => s.GetProperty("hazardArea").GetString() == "BS/CHA/CMAA/60222");
            await tracker.PublishAsync("cmac/v1/trk-01/status", $$"""{"ts":{{ts.AddSeconds(1).ToUnixTimeMilliseconds()}},"state":"working"}""");
            await hub.WaitForAsync("assetUpdated", s => s.GetProperty("state").GetString() == "working");
        }

        // The silo closed trk-02's connection as it stopped: that is no lost device, so its asset stays online.
        stillConnected.Drop();
        await using var second = await TestSilo.StartAsync(folder);
        var other = await second.GetJsonAsync<JsonElement>("/api/assets/DU5-EOD-02");
        Assert.True(other.GetProperty("online").GetBoolean());
        var status = await second.GetJsonAsync<JsonElement>("/api/assets/DU5-EOD-01");
        Assert.Equal("working", status.GetProperty("state").GetString());
        Assert.Equal(77, status.GetProperty("battery").GetInt32());
        Assert.Equal(13.3633, status.GetProperty("position").GetProperty("lat").GetDouble());
        Assert.Equal("BS/CHA/CMAA/60222", status.GetProperty("hazardArea").GetString());
        var units = await second.GetJsonAsync<JsonElement>("/api/assets?unit=DU5");
        Assert.Equal(2, units.GetArrayLength());
        var area2 = await second.GetJsonAsync<JsonElement>("/api/hazard-areas/BS%2FCHA%2FCMAA%2F60222");
        Assert.Equal("CHA", area2.GetProperty("type").GetString());

        // The device's password survived too, and the hazard-area index was rebuilt from storage.
        await using var hub2 = await HubProbe.ConnectAsync(second);
        await using var again = await DeviceProbe.ConnectAsync(second, "trk-01", secret);
        await again.PublishFixAsync(13.3640, 102.9880, DateTimeOffset.UtcNow);
        var moved = await hub2.WaitForAsync("assetUpdated", s => HubProbe.Lat(s) == 13.3640, seconds: 15);
        Assert.Equal("BS/CHA/CMAA/60222", moved.GetProperty("hazardArea").GetString());
        Directory.Delete(folder, recursive: true);
    }
}
