using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CmacLive.Dispatch;
using MQTTnet;

namespace CmacLive.Benchmarks;

/// <summary>
/// How fast a filed request comes back triaged and ranked: an embedded silo on loopback with N EOD teams
/// placed at random over Cambodia (each reports one fix over MQTT), then R requests filed over REST one at
/// a time. Reports the POST latency and checks every ranking against one computed here from the known positions.
/// </summary>
public static class DispatchBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var teams = Benchmarks.Option(args, "--teams", 300);
        var requests = Benchmarks.Option(args, "--requests", 200);
        await using var silo = await BenchSilo.StartAsync("dispatch");
        var http = silo.Http;
        var mqttPort = silo.MqttPort;
        var random = new Random(42);
        var positions = new Dictionary<string, (double Lat, double Lon, string Unit)>();
        var setup = Stopwatch.StartNew();
        for (var i = 0; i < teams; i++)
        {
            var id = $"EOD-{i:0000}";
            var unit = $"DU{(i % 6) + 1}";
            (await http.PutAsJsonAsync($"/api/assets/{id}", new { kind = "team", name = $"EOD team {i}", unit, capabilities = new[] { "eod" } })).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync($"/api/devices/trk-{id}", new { assetId = id, kind = "tracker", secret = $"secret-{id}" })).EnsureSuccessStatusCode();
            var (lat, lon) = (10.5 + (random.NextDouble() * 4), 102.5 + (random.NextDouble() * 5));
            positions[id] = (lat, lon, unit);
        }

        await Task.WhenAll(positions.Chunk(Math.Max(1, teams / 8)).Select(async chunk =>
        {
            foreach (var (id, p) in chunk)
            {
                await ReportFixAsync(mqttPort, $"trk-{id}", $"secret-{id}", p.Lat, p.Lon);
            }
        }));
        Console.WriteLine($"{teams} EOD teams placed and reporting in {setup.Elapsed.TotalSeconds:0.0} s");

        var rules = new DispatchRules();
        var latencies = new List<double>();
        var mismatches = 0;
        for (var i = 0; i < requests; i++)
        {
            var (lat, lon) = (10.5 + (random.NextDouble() * 4), 102.5 + (random.NextDouble() * 5));
            var unit = $"DU{random.Next(1, 7)}";
            var watch = Stopwatch.StartNew();
            var response = await http.PostAsJsonAsync("/api/dispatch/requests", new { lat, lon, found = "uxo", unit });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            latencies.Add(watch.Elapsed.TotalMilliseconds);

            var expected = positions
                .Select(p => (Id: p.Key, Distance: TeamRanking.DistanceM(p.Value.Lat, p.Value.Lon, lat, lon), p.Value.Unit))
                .OrderBy(c => c.Distance).ThenBy(c => c.Unit == unit ? 0 : 1).ThenBy(c => c.Id, StringComparer.Ordinal)
                .Take(rules.Recommendations).Select(c => c.Id);
            var got = body.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("teamId").GetString());
            if (!expected.SequenceEqual(got))
            {
                mismatches++;
            }

            await http.PostAsJsonAsync($"/api/dispatch/requests/{body.GetProperty("id").GetString()}/cancel", new { reason = "benchmark" });
        }

        latencies.Sort();
        Console.WriteLine($"POST /api/dispatch/requests with {teams} EOD teams, {requests} requests one at a time:");
        Console.WriteLine($"  p50 {Benchmarks.Percentile(latencies, 0.5):0.0} ms, p95 {Benchmarks.Percentile(latencies, 0.95):0.0} ms, p99 {Benchmarks.Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms");
        Console.WriteLine($"  rankings that differ from the one computed here: {mismatches} of {requests}");
        Console.WriteLine(Benchmarks.Hardware());
        return mismatches == 0 ? 0 : 1;
    }

    private static async Task ReportFixAsync(int port, string deviceId, string secret, double lat, double lon)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(deviceId)
            .WithCredentials(deviceId, secret).Build());
        var result = await Benchmarks.PublishFixAsync(client, deviceId, lat, lon);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"fix of {deviceId} refused: {result.ReasonCode}");
        }

        await client.DisconnectAsync();
    }
}
