using CmacLive.Testing;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using CmacLive.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// MQTT over TLS on the embedded broker, from PEM files made at run time by a throwaway authority: real clients
/// (MQTTnet and Mosquitto's own <c>mosquitto_pub</c>) connect over TLS, plain MQTT can be turned off, and a client
/// that does not trust the authority, or does not speak TLS, gets nowhere.
/// </summary>
public sealed class MqttTlsTests
{
    private static string NewId(string prefix) => TrackedAsset.NewId(prefix);

    private static async Task<(TestSilo Silo, int TlsPort)> StartAsync(TestCertificates certificates)
    {
        var server = certificates.Issue("mqtt-server");
        string[] settings = ["--Mqtt:Tls:Port=0", $"--Mqtt:Tls:Certificate={server.CertificatePath}", $"--Mqtt:Tls:Key={server.KeyPath}", "--Mqtt:Plain=false"];
        var silo = await TestSilo.StartAsync(null, null, settings);
        return (silo, silo.Services.GetRequiredService<MqttBroker>().TlsPort!.Value);
    }

    private static MqttClientOptions Options(int port, string deviceId, string secret, Func<MqttClientCertificateValidationEventArgs, bool> trust) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("localhost", port)
            .WithClientId(deviceId)
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(o => o.UseTls().WithTargetHost("localhost").WithCertificateValidationHandler(trust))
            .Build();

    private static async Task<bool> HasPositionAsync(TestSilo silo, string assetId)
    {
        for (var i = 0; i < 50; i++)
        {
            var asset = await silo.GetJsonAsync<JsonElement>($"/api/assets/{assetId}");
            if (asset.TryGetProperty("position", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    [Fact]
    public async Task A_device_reports_over_tls_with_mqttnet_and_plain_mqtt_can_be_turned_off()
    {
        using var certificates = TestCertificates.Create();
        var (silo, tlsPort) = await StartAsync(certificates);
        await using (silo)
        {
            Assert.Null(silo.Services.GetRequiredService<MqttBroker>().PlainPort);
            var assetId = NewId("DU5-EOD");
            var deviceId = NewId("trk");
            var secret = await silo.ProvisionAsync(assetId, deviceId);

            using var client = new MqttClientFactory().CreateMqttClient();
            var connected = await client.ConnectAsync(Options(tlsPort, deviceId, secret, e => certificates.Trusts(e.Certificate)));
            Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
            var published = await client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic($"cmac/v1/{deviceId}/position")
                .WithPayload(DeviceProbe.Fix(12.5, 104.9, DateTimeOffset.UtcNow))
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce)
                .Build());
            Assert.Equal(MqttClientPublishReasonCode.Success, published.ReasonCode);
            Assert.True(await HasPositionAsync(silo, assetId));
            await client.DisconnectAsync();

            // A client that does not trust the authority does not get as far as sending its password.
            using var doubter = new MqttClientFactory().CreateMqttClient();
            await Assert.ThrowsAnyAsync<Exception>(() => doubter.ConnectAsync(Options(tlsPort, deviceId, secret, e => e.SslPolicyErrors == System.Net.Security.SslPolicyErrors.None)));

            // Plain MQTT sent to the TLS port is a failed handshake, counted; the silo goes on.
            await using (var raw = await RawMqtt.OpenAsync(tlsPort))
            {
                await raw.SendAsync(RawMqtt.Connect(deviceId, deviceId, secret));
                Assert.Empty(await raw.ReadUntilClosedAsync(15));
            }

            var stats = await silo.GetJsonAsync<JsonElement>("/api/ingest/stats");
            Assert.True(stats.GetProperty("limits").GetProperty("tls-handshake-failed").GetInt64() >= 1);
        }
    }

    [Fact]
    public async Task Mosquitto_pub_reports_over_tls_trusting_the_authority_file()
    {
        using var certificates = TestCertificates.Create();
        var (silo, tlsPort) = await StartAsync(certificates);
        await using (silo)
        {
            var assetId = NewId("DU5-EOD");
            var deviceId = NewId("trk");
            var secret = await silo.ProvisionAsync(assetId, deviceId);

            var (code, output) = await MosquittoPubAsync("--cafile", certificates.AuthorityPath, "-h", "localhost", "-p", tlsPort.ToString(),
                "-V", "mqttv5", "-q", "1", "-i", deviceId, "-u", deviceId, "-P", secret,
                "-t", $"cmac/v1/{deviceId}/position", "-m", DeviceProbe.Fix(12.5, 104.9, DateTimeOffset.UtcNow));
            Assert.True(code == 0, output);
            Assert.True(await HasPositionAsync(silo, assetId));

            // Without the authority, mosquitto_pub refuses the server's certificate.
            using var stranger = TestCertificates.Create("Some other CA");
            var (refused, _) = await MosquittoPubAsync("--cafile", stranger.AuthorityPath, "-h", "localhost", "-p", tlsPort.ToString(),
                "-V", "mqttv5", "-q", "1", "-i", deviceId, "-u", deviceId, "-P", secret, "-t", $"cmac/v1/{deviceId}/position", "-m", "{}");
            Assert.NotEqual(0, refused);
        }
    }

    private static async Task<(int Code, string Output)> MosquittoPubAsync(params string[] args)
    {
        var start = new ProcessStartInfo(File.Exists("/usr/bin/mosquitto_pub") ? "/usr/bin/mosquitto_pub" : "mosquitto_pub")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
