using CmacLive.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// <c>Mqtt:Mode=External</c> against a real Mosquitto, with silo processes subscribed through a shared subscription:
/// with the logins kept by hand (a password file and an ACL, <c>Mqtt:DynamicSecurity=false</c>), and with the silo
/// keeping them in Mosquitto's dynamic-security plugin.
/// </summary>
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

    [Fact]
    public async Task Over_tls_the_silo_subscribes_and_provisions_devices_at_Mosquitto_checking_its_certificate_against_the_authority()
    {
        using var certificates = TestCertificates.Create();
        await using var run = await DynamicSecurityRun.StartAsync(output, certificates);
        var silo = run.Silo;
        var (assetId, deviceId) = (TrackedAsset.NewId("DU4-TLS"), TrackedAsset.NewId("trk-tls"));

        // The device's login is made through the plugin over the silo's TLS connection, and its fix comes back over the
        // silo's TLS subscription.
        var secret = await silo.ProvisionAsync(assetId, deviceId, unit: "DU4");
        await using var dashboard = await HubProbe.ConnectAsync(silo);
        await using var device = await DeviceProbe.ConnectAsync(run.Mosquitto.Port, deviceId, secret);
        Assert.True((await device.PublishFixAsync(12.71, 103.31, DateTimeOffset.UtcNow.AddSeconds(-5))).IsSuccess);
        await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetId && HubProbe.Lat(s) == 12.71, seconds: 20);
        Assert.Contains("Healthy", await silo.Http.GetStringAsync("/health"));
    }

    [Fact]
    public async Task With_dynamic_security_one_REST_call_provisions_rekeys_or_revokes_a_device_at_Mosquitto_and_it_keeps_to_its_own_topics()
    {
        await using var run = await DynamicSecurityRun.StartAsync(output);
        var silo = run.Silo;
        var (assetA, deviceA) = (TrackedAsset.NewId("DU4-DSA"), TrackedAsset.NewId("trk-dsa"));
        var (assetB, deviceB) = (TrackedAsset.NewId("DU4-DSB"), TrackedAsset.NewId("trk-dsb"));
        var secretA = await silo.ProvisionAsync(assetA, deviceA, unit: "DU4");
        var secretB = await silo.ProvisionAsync(assetB, deviceB, unit: "DU4");

        // The silos' own role is enough: without the broad admin role of `dynsec init` (the broker closes the silo's
        // sessions for the change, and it connects again), uplinks, downlinks and the plugin's commands go on.
        await run.Mosquitto.WaitForRolesAsync(TestMosquitto.SiloUser, ["admin", "cmaclive-silo"]);
        await run.Mosquitto.SendAsSiloAsync(new { command = "removeClientRole", username = TestMosquitto.SiloUser, rolename = "admin" });
        await run.Mosquitto.WaitForRolesAsync(TestMosquitto.SiloUser, ["cmaclive-silo"]);

        // Provisioned over REST: the device logs in at Mosquitto with its secret, and its fix reaches the silo.
        await using var dashboard = await HubProbe.ConnectAsync(silo);
        await using var a = await DeviceProbe.ConnectAsync(run.Mosquitto.Port, deviceA, secretA);
        await using var b = await DeviceProbe.ConnectAsync(run.Mosquitto.Port, deviceB, secretB);
        Assert.True((await a.PublishFixAsync(12.61, 103.21, DateTimeOffset.UtcNow.AddSeconds(-30))).IsSuccess);
        await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetA && HubProbe.Lat(s) == 12.61, seconds: 20);

        // Its own topics only: Mosquitto refuses a fix under another device's id and a subscription to another's downlinks.
        var forged = await a.PublishAsync($"cmac/v1/{deviceB}/position", DeviceProbe.Fix(12.99, 103.99, DateTimeOffset.UtcNow.AddSeconds(-20)));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        var spying = await a.Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"cmac/v1/{deviceB}/cmd", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, spying.Items.Single().ResultCode);
        var commands = await a.SubscribeCommandsAsync(); // its own downlinks it may read, and the silo may send
        var filed = await silo.Http.PostAsJsonAsync("/api/dispatch/requests", new { lat = 12.65, lon = 103.25, found = "uxo" });
        var requestId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.PostAsJsonAsync($"/api/dispatch/requests/{requestId}/assign", new { teamId = assetA })).StatusCode);
        await DeviceProbe.NextAsync(commands, c => c.GetProperty("requestId").GetString() == requestId);
        Assert.True((await a.PublishFixAsync(12.62, 103.22, DateTimeOffset.UtcNow.AddSeconds(-10))).IsSuccess);
        await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetA && HubProbe.Lat(s) == 12.62, seconds: 20);
        var other = await silo.GetJsonAsync<JsonElement>($"/api/assets/{assetB}");
        Assert.Equal(JsonValueKind.Null, other.GetProperty("position").ValueKind);

        // A new secret: the old session is closed within 2 s, the old secret refused, the new one logs in.
        var closed = LivePathTests.Closed(a);
        var watch = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await silo.PutJsonAsync($"/api/devices/{deviceA}", new { assetId = assetA, kind = "tracker", secret = "the-new-secret" })).StatusCode);
        await closed.WaitAsync(TimeSpan.FromSeconds(2) - watch.Elapsed);
        output.WriteLine($"re-keyed: the old session closed {watch.ElapsedMilliseconds} ms after the PUT was sent");
        await AssertRefusedAsync(run.Mosquitto.Port, deviceA, secretA);
        await using (var renewed = await DeviceProbe.ConnectAsync(run.Mosquitto.Port, deviceA, "the-new-secret"))
        {
            Assert.True((await renewed.PublishFixAsync(12.63, 103.23, DateTimeOffset.UtcNow)).IsSuccess);
            await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetA && HubProbe.Lat(s) == 12.63, seconds: 20);
        }

        // Deleted: closed within 2 s, refused, gone from the registry.
        closed = LivePathTests.Closed(b);
        watch.Restart();
        Assert.Equal(HttpStatusCode.NoContent, (await silo.Http.DeleteAsync($"/api/devices/{deviceB}")).StatusCode);
        await closed.WaitAsync(TimeSpan.FromSeconds(2) - watch.Elapsed);
        output.WriteLine($"deleted: the session closed {watch.ElapsedMilliseconds} ms after the DELETE was sent");
        await AssertRefusedAsync(run.Mosquitto.Port, deviceB, secretB);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.DeleteAsync($"/api/devices/{deviceB}")).StatusCode);

        // The silos' own login is not a device's: a device of that name is refused, and the silo keeps its login.
        var taken = await silo.PutJsonAsync($"/api/devices/{TestMosquitto.SiloUser}", new { assetId = assetB, kind = "tracker", secret = "take-over-the-silo" });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync($"/api/devices/{TestMosquitto.SiloUser}")).StatusCode);
        await AssertRefusedAsync(run.Mosquitto.Port, TestMosquitto.SiloUser, "take-over-the-silo");
    }

    [Fact]
    public async Task Through_Mosquitto_a_devices_last_will_takes_its_asset_offline_at_once()
    {
        await using var run = await DynamicSecurityRun.StartAsync(output);
        var silo = run.Silo;
        var (assetId, deviceId) = (TrackedAsset.NewId("DU4-LWT"), TrackedAsset.NewId("trk-lwt"));
        var secret = await silo.ProvisionAsync(assetId, deviceId, unit: "DU4");
        await using var dashboard = await HubProbe.ConnectAsync(silo);
        var device = await DeviceProbe.ConnectAsync(run.Mosquitto.Port, deviceId, secret, lastWill: true);
        Assert.True((await device.PublishFixAsync(12.64, 103.24, DateTimeOffset.UtcNow.AddSeconds(-5))).IsSuccess);
        await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetId && s.GetProperty("online").GetBoolean(), seconds: 20);

        // The silo never sees the device's connection, only what Mosquitto publishes: the will, when the device drops.
        var watch = Stopwatch.StartNew();
        device.Drop();
        var offline = await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetId && !s.GetProperty("online").GetBoolean(), seconds: 20);
        output.WriteLine($"offline {watch.ElapsedMilliseconds} ms after the drop (Tracking:OfflineTimeout is two minutes)");
        Assert.Equal(12.64, HubProbe.Lat(offline));

        // The next message brings it back.
        await using var again = await DeviceProbe.ConnectAsync(run.Mosquitto.Port, deviceId, secret, lastWill: true);
        Assert.True((await again.PublishFixAsync(12.65, 103.24, DateTimeOffset.UtcNow)).IsSuccess);
        await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == assetId && s.GetProperty("online").GetBoolean() && HubProbe.Lat(s) == 12.65, seconds: 20);
    }

    [Fact]
    public async Task With_dynamic_security_a_device_change_while_Mosquitto_is_down_answers_503_and_goes_through_when_sent_again()
    {
        await using var run = await DynamicSecurityRun.StartAsync(output);
        var silo = run.Silo;
        var (asset, device) = (TrackedAsset.NewId("DU4-DSD"), TrackedAsset.NewId("trk-dsd"));
        Assert.Equal(HttpStatusCode.OK, (await silo.PutJsonAsync($"/api/assets/{asset}", new { kind = "team", name = "EOD team", unit = "DU4" })).StatusCode);
        var body = new { assetId = asset, kind = "tracker", secret = "secret-while-down" };

        // Broker down: a clear 503 (not a success), and the registry unchanged.
        await run.Mosquitto.StopAsync();
        var watch = Stopwatch.StartNew();
        var refused = await silo.PutJsonAsync($"/api/devices/{device}", body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        output.WriteLine($"PUT with the broker down: {(int)refused.StatusCode} after {watch.ElapsedMilliseconds} ms: {await refused.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync($"/api/devices/{device}")).StatusCode);

        // Back: the same request, sent again, goes through in both places.
        await run.Mosquitto.RestartAsync();
        watch.Restart();
        await SendAgainAsync(() => silo.PutJsonAsync($"/api/devices/{device}", body), HttpStatusCode.OK);
        output.WriteLine($"PUT went through {watch.ElapsedMilliseconds} ms after the broker was back");
        await using (var tracker = await DeviceProbe.ConnectAsync(run.Mosquitto.Port, device, body.secret))
        {
            // The tracker reports every 2 s, as a tracker does: the test's Mosquitto keeps no sessions across a restart, so a
            // fix published before the silos have subscribed again reaches no one (docker/mosquitto's configuration keeps them).
            await using var dashboard = await HubProbe.ConnectAsync(silo);
            var arrived = false;
            for (var attempt = 0; attempt < 10 && !arrived; attempt++)
            {
                Assert.True((await tracker.PublishFixAsync(12.71, 103.31, DateTimeOffset.UtcNow)).IsSuccess);
                try
                {
                    await dashboard.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == asset && HubProbe.Lat(s) == 12.71, seconds: 2);
                    arrived = true;
                }
                catch (TimeoutException)
                {
                    output.WriteLine($"fix {attempt + 1} not on the dashboard within 2 s ({watch.ElapsedMilliseconds} ms after the broker was back)");
                }
            }

            Assert.True(arrived, "no fix of the device reached the dashboard within 20 s of the broker being back");
        }

        // A deletion while it is down: 503, the device still there; once it is back, deleted in both places.
        await run.Mosquitto.StopAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await silo.Http.DeleteAsync($"/api/devices/{device}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync($"/api/devices/{device}")).StatusCode);
        await run.Mosquitto.RestartAsync();
        await SendAgainAsync(() => silo.Http.DeleteAsync($"/api/devices/{device}"), HttpStatusCode.NoContent);
        await AssertRefusedAsync(run.Mosquitto.Port, device, body.secret);
    }

    private static async Task AssertRefusedAsync(int port, string username, string password)
    {
        var (device, result) = await DeviceProbe.TryConnectAsync(port, username, password);
        await using (device)
        {
            Assert.NotEqual(MqttClientConnectResultCode.Success, result.ResultCode);
        }
    }

    /// <summary>Sends the request again while it answers 503 (the silo connects to the broker again with back-off), for at most 40 s.</summary>
    private static async Task SendAgainAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(40);
        HttpResponseMessage answer;
        while ((answer = await send()).StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.True(answer.StatusCode == expected, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
    }

    /// <summary>A Mosquitto with the dynamic-security plugin, fresh from its first start, and a silo in external mode against it.</summary>
    private sealed class DynamicSecurityRun : IAsyncDisposable
    {
        private readonly string _dataFolder;
        private readonly ITestOutputHelper _output;

        private DynamicSecurityRun(TestMosquitto mosquitto, SiloProcess silo, string dataFolder, ITestOutputHelper output)
        {
            Mosquitto = mosquitto;
            Silo = silo;
            _dataFolder = dataFolder;
            _output = output;
        }

        public TestMosquitto Mosquitto { get; }

        public SiloProcess Silo { get; }

        public static async Task<DynamicSecurityRun> StartAsync(ITestOutputHelper output, TestCertificates? tls = null)
        {
            var mosquitto = await TestMosquitto.StartWithDynamicSecurityAsync(tls);
            var dataFolder = TestSilo.NewDataFolder();
            try
            {
                var silo = await SiloProcess.StartAsync("dynsec",
                [
                    $"--Storage:ConnectionString=Data Source={Path.Combine(dataFolder, "cmaclive.db")}",
                    .. mosquitto.SiloArguments("cmaclive-test-dynsec"),
                ], mosquitto.Port);
                return new DynamicSecurityRun(mosquitto, silo, dataFolder, output);
            }
            catch
            {
                await mosquitto.DisposeAsync();
                Directory.Delete(dataFolder, recursive: true);
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _output.WriteLine($"--- the silo's last lines ---\n{Silo.Output}");
            await Silo.DisposeAsync();
            await Mosquitto.DisposeAsync();
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
