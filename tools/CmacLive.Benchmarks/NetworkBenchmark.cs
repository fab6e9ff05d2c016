using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using CmacLive.Ingestion;
using CmacLive.Testing;
using MQTTnet;
using MQTTnet.Formatter;

namespace CmacLive.Benchmarks;

/// <summary>
/// What TLS and the limits before work cost on the ingest path, each against a baseline measured in the same run:
/// <list type="bullet">
/// <item>the knee with and without TLS: devices publishing QoS 1 fixes in a closed loop (each waits for its PUBACK)
/// over plain MQTT and over TLS to the same silo, in interleaved rounds, so the saturated rate is the most the silo
/// acknowledges; and the time to connect, TLS handshake included;</item>
/// <item>the CPU of a failed CONNECT, with the back-off (the contract's 5 failures) and without it (a limit no
/// guesser reaches), against CONNECTs refused before any check (a user name that is no device id);</item>
/// <item>the per-uplink limit check itself (the device's token bucket).</item>
/// </list>
/// The silo runs in this process, so CPU is the process's (clients included): the differences are what counts.
/// </summary>
public static class NetworkBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devices = Benchmarks.Option(args, "--devices", 200);
        var seconds = Benchmarks.Option(args, "--seconds", 10);
        var rounds = Benchmarks.Option(args, "--rounds", 3);
        var attempts = Benchmarks.Option(args, "--attempts", 300);
        Console.WriteLine(Benchmarks.Hardware());

        using var certificates = TestCertificates.Create("CmacLive benchmark CA");
        var server = certificates.Issue("mqtt-server");
        await KneeAsync(certificates, server, devices, seconds, rounds);
        await FailedConnectsAsync(attempts);
        UplinkCheck();
        return 0;
    }

    private static async Task KneeAsync(TestCertificates certificates, IssuedCertificate server, int devices, int seconds, int rounds)
    {
        await using var silo = await BenchSilo.StartAsync("network", null,
            "--Mqtt:Tls:Port=0", $"--Mqtt:Tls:Certificate={server.CertificatePath}", $"--Mqtt:Tls:Key={server.KeyPath}",
            "--Mqtt:MaxMessagesPerSecondPerDevice=1000000", "--Mqtt:MessageBurstPerDevice=1000000");
        var fleet = new List<(string Id, string Secret)>();
        for (var i = 0; i < devices; i++)
        {
            var id = $"trk-net-{i:0000}";
            var put = await silo.Http.PutAsJsonAsync($"/api/assets/DU5-NET-{i:0000}", new { kind = "team", name = $"Team {i}", unit = "DU5" });
            put.EnsureSuccessStatusCode();
            (await silo.Http.PutAsJsonAsync($"/api/devices/{id}", new { assetId = $"DU5-NET-{i:0000}", kind = "tracker", secret = $"secret-{id}" }))
                .EnsureSuccessStatusCode();
            fleet.Add((id, $"secret-{id}"));
        }

        Console.WriteLine($"knee: {devices} devices, each publishing QoS 1 fixes back to back for {seconds} s, plain and TLS interleaved, {rounds} rounds each");
        await SaturateAsync(silo, certificates, fleet, tls: false, Math.Min(seconds, 3)); // warm-up, not counted
        var results = new Dictionary<bool, List<(double Rate, double P50, double P99, double Connect, double CpuPerThousand)>> { [false] = [], [true] = [] };
        foreach (var tls in Enumerable.Range(0, rounds).SelectMany(_ => new[] { false, true }))
        {
            results[tls].Add(await SaturateAsync(silo, certificates, fleet, tls, seconds));
            var r = results[tls][^1];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(tls ? "TLS  " : "plain")}: {r.Rate,8:0} fixes/s acknowledged, PUBACK p50 {r.P50,6:0.0} ms p99 {r.P99,6:0.0} ms, connect p50 {r.Connect,6:0.0} ms, CPU {r.CpuPerThousand,6:0} ms per 1000 fixes"));
        }

        var plain = results[false].Max(r => r.Rate);
        var secure = results[true].Max(r => r.Rate);
        var plainCpu = results[false].Min(r => r.CpuPerThousand);
        var secureCpu = results[true].Min(r => r.CpuPerThousand);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  best of rounds: plain {plain:0} fixes/s, TLS {secure:0} fixes/s, ratio TLS/plain {secure / plain:0.00}; CPU per 1000 fixes plain {plainCpu:0} ms, TLS {secureCpu:0} ms (×{secureCpu / plainCpu:0.00})"));
    }

    private static async Task<(double Rate, double P50, double P99, double Connect, double CpuPerThousand)> SaturateAsync(
        BenchSilo silo, TestCertificates certificates, List<(string Id, string Secret)> fleet, bool tls, int seconds)
    {
        var connectTimes = new List<double>();
        var clients = new List<IMqttClient>();
        foreach (var (id, secret) in fleet)
        {
            var client = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer("localhost", tls ? silo.MqttTlsPort!.Value : silo.MqttPort)
                .WithClientId(id).WithCredentials(id, secret).WithProtocolVersion(MqttProtocolVersion.V500)
                .WithTimeout(TimeSpan.FromSeconds(30));
            if (tls)
            {
                options = options.WithTlsOptions(o => o.UseTls().WithTargetHost("localhost").WithCertificateValidationHandler(e => certificates.Trusts(e.Certificate)));
            }

            var started = Stopwatch.GetTimestamp();
            await client.ConnectAsync(options.Build());
            connectTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            clients.Add(client);
        }

        var latencies = new List<double>[clients.Count];
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var end = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        await Task.WhenAll(clients.Select(async (client, i) =>
        {
            var mine = latencies[i] = [];
            var step = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                var result = await Benchmarks.PublishFixAsync(client, fleet[i].Id, 12 + (i * 0.001), 104 + (step++ * 0.00001));
                if (!result.IsSuccess)
                {
                    throw new InvalidOperationException($"{fleet[i].Id}: PUBACK {result.ReasonCode}");
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
        foreach (var client in clients)
        {
            await client.DisconnectAsync();
            client.Dispose();
        }

        var all = latencies.SelectMany(l => l).Order().ToList();
        return (all.Count / (double)seconds, Benchmarks.Percentile(all, 0.5), Benchmarks.Percentile(all, 0.99),
            Benchmarks.Percentile(connectTimes.Order().ToList(), 0.5), cpu / all.Count * 1000);
    }

    private static async Task FailedConnectsAsync(int attempts)
    {
        Console.WriteLine($"failed CONNECTs: {attempts} wrong passwords for one device, one after another, CPU of this process per attempt");
        double withoutBackoff, withBackoff, refusedUnchecked;
        await using (var silo = await BenchSilo.StartAsync("network-nobackoff", null,
            "--Mqtt:ConnectFailureLimit=1000000", "--Mqtt:ConnectFailureLimitPerAddress=1000000"))
        {
            var device = await ProvisionAsync(silo);
            refusedUnchecked = await CpuPerAttemptAsync(silo, "not a device id!", attempts);
            withoutBackoff = await CpuPerAttemptAsync(silo, device, attempts);
        }

        await using (var silo = await BenchSilo.StartAsync("network-backoff", null, "--Mqtt:ConnectFailureLimitPerAddress=1000000"))
        {
            var device = await ProvisionAsync(silo);
            withBackoff = await CpuPerAttemptAsync(silo, device, attempts);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
              refused before any check (baseline: connection and CONNECT only) {refusedUnchecked,7:0.000} ms CPU per attempt
              wrong password, no back-off (every attempt checked)             {withoutBackoff,7:0.000} ms CPU per attempt (+{withoutBackoff - refusedUnchecked:0.000} over baseline)
              wrong password, back-off after 5 (the default)                  {withBackoff,7:0.000} ms CPU per attempt (+{withBackoff - refusedUnchecked:0.000} over baseline)
              back-off / no back-off: ×{withBackoff / withoutBackoff:0.00}
            """));
    }

    private static async Task<string> ProvisionAsync(BenchSilo silo)
    {
        var put = await silo.Http.PutAsJsonAsync("/api/assets/DU5-GUESS", new { kind = "team", name = "Guessed", unit = "DU5" });
        put.EnsureSuccessStatusCode();
        (await silo.Http.PutAsJsonAsync("/api/devices/trk-guessed", new { assetId = "DU5-GUESS", kind = "tracker", secret = "secret-trk-guessed" })).EnsureSuccessStatusCode();
        return "trk-guessed";
    }

    private static async Task<double> CpuPerAttemptAsync(BenchSilo silo, string username, int attempts)
    {
        var factory = new MqttClientFactory();
        for (var warm = 0; warm < 3; warm++)
        {
            await TryConnectAsync(factory, silo.MqttPort, "warm-up!", "wrong-password");
        }

        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        for (var i = 0; i < attempts; i++)
        {
            await TryConnectAsync(factory, silo.MqttPort, username, $"wrong-password-{i}");
        }

        process.Refresh();
        return (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / attempts;
    }

    private static async Task TryConnectAsync(MqttClientFactory factory, int port, string username, string password)
    {
        using var client = factory.CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(username.TrimEnd('!'))
            .WithCredentials(username, password).WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30)).Build();
        var result = await client.ConnectAsync(options);
        if (result.ResultCode == MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException("a wrong password was accepted");
        }
    }

    private static void UplinkCheck()
    {
        var gate = new DeviceGate(new MqttOptions { MaxMessagesPerSecondPerDevice = 1e9, MessageBurstPerDevice = int.MaxValue }, TimeProvider.System);
        const int Calls = 5_000_000;
        for (var i = 0; i < 100_000; i++)
        {
            gate.TryUplink("trk-bench", safety: false, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Calls; i++)
        {
            gate.TryUplink("trk-bench", safety: false, out _);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"uplink rate check (the device's token bucket): {elapsed.TotalNanoseconds / Calls:0.0} ns per uplink, {(GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)Calls:0.0} bytes allocated per uplink"));
    }
}
