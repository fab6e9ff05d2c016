using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CmacLive.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The SOS fast lane: an SOS reaches every live silo's dashboards at once, whatever grain or silo is being lost.</summary>
[Collection(SiloCollection.Name)]
public sealed class SafetyLaneTests(ITestOutputHelper output)
{
    private const int Devices = 12;

    [Fact]
    public async Task An_SOS_reaches_the_dashboards_of_every_live_silo_within_a_second_while_a_silo_dies_and_the_ledger_follows()
    {
        await using var pair = await SiloPair.StartAsync("cmac_sos");
        await using var c = await SiloProcess.StartOnPostgresAsync("C", pair.Database);
        await SiloEndpoints.WaitForActiveSilosAsync(pair.Database, 3, TimeSpan.FromSeconds(60));
        var (a, b) = (pair.A, pair.B);

        // Devices on B; their device and asset grains, the ledger and the hub registry spread over all three silos.
        var devices = new List<(string AssetId, DeviceProbe Device)>();
        for (var i = 0; i < Devices; i++)
        {
            var assetId = $"DU1-SOS-{i:00}";
            var secret = await b.ProvisionAsync(assetId, $"trk-sos-{i:00}", unit: "DU1");
            devices.Add((assetId, await DeviceProbe.ConnectAsync(b, $"trk-sos-{i:00}", secret)));
        }

        await using var onB = await HubProbe.ConnectAsync(b);
        await using var onC = await HubProbe.ConnectAsync(c);
        var seen = new[] { Watch(onB), Watch(onC) };
        var now = DateTimeOffset.UtcNow;
        foreach (var (_, device) in devices)
        {
            Assert.True((await device.PublishFixAsync(12.8, 102.6, now)).IsSuccess);
        }

        // Both dashboards live before the kill: every asset's fix reached them.
        await FaultChecks.EventuallyAsync(() => seen.All(d => devices.All(x => d.Located.ContainsKey(x.AssetId))), TimeSpan.FromSeconds(30), "every fix on both dashboards");

        await a.KillAsync();
        var sent = new List<(string AlertId, long SentAt, Task<MqttClientPublishResult> Ack)>();
        var clock = Stopwatch.StartNew();
        foreach (var (assetId, device) in devices)
        {
            // Milliseconds, as the alert id carries them; not awaited: the acknowledgement may wait for the failover.
            var ts = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var payload = $$"""{"ts":"{{ts.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","state":"sos"}""";
            sent.Add(($"sos-{assetId}-{ts.ToUnixTimeMilliseconds()}", Stopwatch.GetTimestamp(), device.PublishAsync($"cmac/v1/{device.DeviceId}/status", payload)));
            await Task.Delay(50);
        }

        // Within a second, on both surviving silos' dashboards: the fast lane waits for no grain and no failover.
        await FaultChecks.EventuallyAsync(() => sent.All(s => seen.All(d => d.Raised.ContainsKey(s.AlertId))), TimeSpan.FromSeconds(10), "every SOS on both dashboards");
        var latencies = new List<double>();
        foreach (var (dashboard, name) in new[] { (seen[0], "B"), (seen[1], "C") })
        {
            foreach (var (alertId, sentAt, _) in sent)
            {
                var ms = Stopwatch.GetElapsedTime(sentAt, dashboard.Raised[alertId]).TotalMilliseconds;
                latencies.Add(ms);
                Assert.True(ms <= 1000, $"SOS {alertId} reached the dashboard on {name} {ms:0} ms after it was sent");
            }
        }

        latencies.Sort();
        output.WriteLine($"SOS to dashboards on two surviving silos while a third was killed: p50 {latencies[latencies.Count / 2]:0} ms, max {latencies[^1]:0} ms over {latencies.Count}");

        // Every SOS is acknowledged once the cluster took over (a device would have sent again on a failure code).
        foreach (var (alertId, _, ack) in sent)
        {
            var result = await ack.WaitAsync(TimeSpan.FromSeconds(60));
            if (!result.IsSuccess)
            {
                var (assetId, device) = devices.Single(d => alertId.StartsWith($"sos-{d.AssetId}-", StringComparison.Ordinal));
                var ts = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(alertId[(alertId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
                var payload = $$"""{"ts":"{{ts.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","state":"sos"}""";
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!(await device.PublishAsync($"cmac/v1/{device.DeviceId}/status", payload)).IsSuccess)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"the SOS of {assetId} was not acknowledged within a minute");
                    await Task.Delay(500);
                }
            }
        }

        // The ledger's own alerts follow, with the same ids, on both dashboards, and the ledger lists each once.
        await FaultChecks.EventuallyAsync(() => sent.All(s => seen.All(d => d.Confirmed.ContainsKey(s.AlertId))), TimeSpan.FromSeconds(60), "the ledger's SOS alerts on both dashboards");
        var open = await b.GetJsonAsync<JsonElement>("/api/alerts?open=true");
        foreach (var (alertId, _, _) in sent)
        {
            var listed = open.EnumerateArray().Where(x => x.GetProperty("id").GetString() == alertId).ToList();
            Assert.Single(listed);
            Assert.False(listed[0].TryGetProperty("provisional", out _), "the ledger's alert is not provisional");
        }

        // A started again: its new hub is handed to the other silos as it registers, so an SOS received on B in a quiet
        // moment reaches A's dashboard from B's fast lane, ahead of the ledger's alert.
        var (againAsset, againDevice) = devices[0];
        var calm = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.True((await againDevice.PublishAsync($"cmac/v1/{againDevice.DeviceId}/status",
            $$"""{"ts":"{{calm.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","state":"working"}""")).IsSuccess);
        await a.RestartAsync(TimeSpan.FromSeconds(60));
        await using var onA = await HubProbe.ConnectAsync(a);
        var seenOnA = Watch(onA);
        var sosTs = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var againId = $"sos-{againAsset}-{sosTs.ToUnixTimeMilliseconds()}";
        var againSent = Stopwatch.GetTimestamp();
        Assert.True((await againDevice.PublishAsync($"cmac/v1/{againDevice.DeviceId}/status",
            $$"""{"ts":"{{sosTs.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","state":"sos"}""")).IsSuccess);
        await FaultChecks.EventuallyAsync(() => seenOnA.Confirmed.ContainsKey(againId), TimeSpan.FromSeconds(10), "the SOS on the restarted silo's dashboard");
        var againMs = Stopwatch.GetElapsedTime(againSent, seenOnA.Raised[againId]).TotalMilliseconds;
        output.WriteLine($"SOS received on B to the dashboard of A, started again: {againMs:0} ms; first from the fast lane: {seenOnA.ProvisionalFirst.ContainsKey(againId)}");
        Assert.True(againMs <= 1000, $"the SOS reached the restarted silo's dashboard {againMs:0} ms after it was sent");
        Assert.True(seenOnA.ProvisionalFirst.ContainsKey(againId), "the restarted silo's dashboard had the SOS first from the ledger, not from B's fast lane");

        foreach (var (_, device) in devices)
        {
            await device.DisposeAsync();
        }
    }

    /// <summary>When each SOS alert first reached a dashboard (provisional or not), and when the ledger's own did.</summary>
    private static Seen Watch(HubProbe probe)
    {
        var seen = new Seen();
        probe.Connection.On<JsonElement>("assetUpdated", status =>
        {
            if (HubProbe.Lat(status) is not null)
            {
                seen.Located.TryAdd(status.GetProperty("id").GetString()!, 0);
            }
        });
        probe.Connection.On<JsonElement>("alertRaised", alert =>
        {
            var at = Stopwatch.GetTimestamp();
            var id = alert.GetProperty("id").GetString()!;
            var isProvisional = alert.TryGetProperty("provisional", out var provisional) && provisional.GetBoolean();
            if (seen.Raised.TryAdd(id, at) && isProvisional)
            {
                seen.ProvisionalFirst.TryAdd(id, 0);
            }

            if (!isProvisional)
            {
                seen.Confirmed.TryAdd(id, at);
            }
        });
        return seen;
    }

    private sealed class Seen
    {
        public ConcurrentDictionary<string, long> Raised { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, long> Confirmed { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, byte> Located { get; } = new(StringComparer.Ordinal);

        /// <summary>The SOS alerts whose first <c>alertRaised</c> was the fast lane's (provisional).</summary>
        public ConcurrentDictionary<string, byte> ProvisionalFirst { get; } = new(StringComparer.Ordinal);
    }
}
