using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CmacLive.Benchmarks;

/// <summary>
/// A silo lost, as the command centre lives it: two silo processes of one cluster on PostgreSQL, a dashboard (SignalR
/// client) on each, devices streaming QoS 1 fixes to both brokers. Each round kills one silo (SIGKILL, alternately) and
/// at once raises an SOS from a device connected to the survivor, then measures
/// <list type="bullet">
/// <item>how soon the cluster declares the killed silo dead: its row (address, port, generation) in the membership table
/// <c>orleansmembershiptable</c> reaching status 6 (Dead), polled every 20 ms; and, for comparison, when the survivor
/// logs "The cluster declared silo … dead";</item>
/// <item>the SOS from its PUBLISH to the first <c>alertRaised</c> with its id on the survivor's dashboard (provisional or
/// not), and to the first that is not provisional (the ledger's own);</item>
/// </list>
/// then starts the killed silo again on the same ports and waits until it is healthy and active. Silos declared dead
/// that were never killed are counted over the whole run. With <c>--soak-minutes N</c> there is no kill: the fleet
/// streams for N minutes, and false deaths and missed-probe warnings in the silos' logs are reported.
/// </summary>
public static class FailoverBenchmark
{
    public const string Usage = """
               dotnet run -c Release --project tools/CmacLive.Benchmarks -- failover
                 [--rounds 10] [--devices 20] [--rate 1] [--postgres "<connection string>"]
                 [--soak-minutes N [--devices 400]]   (no kills: false deaths and missed probes under a steady fleet)
        """;

    private const string Token = "benchmark-admin-token-0123456789";
    private const int Active = 3;
    private const int Dead = 6;

    /// <summary>Lines of Orleans' failure detector: a probe unanswered, or a vote against a silo.</summary>
    private static readonly string[] ProbeWarnings =
    [
        "Did not get response for probe",
        "Did not receive a probe response",
        "local execution stalled",
        "Indirect probe request",
        "recently suspected this silo is dead",
        "Voting to evict",
        "Evicting",
        "The cluster declared silo",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var soak = Benchmarks.Option(args, "--soak-minutes", 0);
        var rounds = Benchmarks.Option(args, "--rounds", 10);
        var devices = Benchmarks.Option(args, "--devices", soak > 0 ? 400 : 20);
        var rate = Benchmarks.Option(args, "--rate", 1);
        Console.WriteLine(Benchmarks.Hardware());

        await using var postgres = await BenchPostgres.OpenAsync(Benchmarks.Text(args, "--postgres"), soak > 0 ? "cmac_soak" : "cmac_failover");
        Console.WriteLine($"PostgreSQL: {postgres.Source}, a fresh database");
        var started = Stopwatch.StartNew();
        await using var a = await ClusterSilo.StartAsync("A", postgres.Database, Token, ProbeWarnings);
        await using var b = await ClusterSilo.StartAsync("B", postgres.Database, Token, ProbeWarnings);
        await WaitActiveAsync(postgres, 2, TimeSpan.FromSeconds(60));
        Console.WriteLine($"two silos active in {started.Elapsed.TotalSeconds:0.0} s (A: HTTP {a.HttpPort}, MQTT {a.MqttPort}, silo {a.SiloPort}; B: HTTP {b.HttpPort}, MQTT {b.MqttPort}, silo {b.SiloPort})");
        ClusterSilo[] silos = [a, b];

        var fleet = new List<BenchDevice>();
        for (var i = 0; i < devices; i++)
        {
            var assetId = $"DU{(i % 6) + 1}-FO-{i:0000}";
            var deviceId = $"trk-fo-{i:0000}";
            (await a.Http.PutAsJsonAsync($"/api/assets/{assetId}", new { kind = "team", name = $"Team {i}", unit = $"DU{(i % 6) + 1}" })).EnsureSuccessStatusCode();
            (await a.Http.PutAsJsonAsync($"/api/devices/{deviceId}", new { assetId, kind = "tracker", secret = $"secret-{deviceId}" })).EnsureSuccessStatusCode();
            fleet.Add(new BenchDevice(deviceId, assetId, $"secret-{deviceId}", [a.MqttPort, b.MqttPort], i % 2, 11.5 + (i * 0.001), 103.5));
        }

        var dashboards = new Dictionary<ClusterSilo, BenchDashboard>
        {
            [a] = await BenchDashboard.ConnectAsync(a.BaseAddress, Token),
            [b] = await BenchDashboard.ConnectAsync(b.BaseAddress, Token),
        };
        using var stop = new CancellationTokenSource();
        var streams = fleet.Select(d => Task.Run(() => d.StreamAsync(TimeSpan.FromSeconds(1.0 / rate), stop.Token))).ToList();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (fleet.Any(d => d.Acked == 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Console.WriteLine($"{devices} devices streaming {rate} fix/s each, half on each broker; a dashboard on each silo");
            return soak > 0
                ? await SoakAsync(postgres, silos, fleet, soak)
                : await RoundsAsync(postgres, silos, fleet, dashboards, rounds);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(streams);
            foreach (var device in fleet)
            {
                await device.DisposeAsync();
            }

            foreach (var dashboard in dashboards.Values)
            {
                await dashboard.DisposeAsync();
            }
        }
    }

    private static async Task<int> RoundsAsync(BenchPostgres postgres, ClusterSilo[] silos, List<BenchDevice> fleet, Dictionary<ClusterSilo, BenchDashboard> dashboards, int rounds)
    {
        var killed = new List<(int Port, int Generation)>();
        var results = new List<Round>();
        for (var round = 0; round < rounds; round++)
        {
            var victim = silos[round % 2];
            var survivor = silos[1 - (round % 2)];
            var generation = (await postgres.MembershipAsync()).Where(m => m.Port == victim.SiloPort && m.Status == Active).Select(m => m.Generation).DefaultIfEmpty(-1).Max();
            var device = fleet.Where(d => d.ConnectedPort == survivor.MqttPort).Skip(round / 2).FirstOrDefault()
                ?? fleet.First(d => d.ConnectedPort == survivor.MqttPort);
            var logLine = survivor.NextLineAsync(l => l.Contains("The cluster declared silo", StringComparison.Ordinal) && l.Contains($"127.0.0.1:{victim.SiloPort}:{generation}", StringComparison.Ordinal));

            var sosState = dashboards[survivor].NextSosStateAsync(device.AssetId, TimeSpan.FromSeconds(60));
            var killedAt = DateTimeOffset.UtcNow;
            await victim.KillAsync();
            killed.Add((victim.SiloPort, generation));
            var sos = device.SosAsync();
            var declared = WaitForStatusAsync(postgres, victim.SiloPort, generation, Dead, TimeSpan.FromSeconds(60));
            var (ts, published, acked) = await sos;
            var id = $"sos-{device.AssetId}-{ts.ToUnixTimeMilliseconds()}";
            var first = dashboards[survivor].FirstAsync(id, TimeSpan.FromSeconds(60));
            var confirmed = dashboards[survivor].ConfirmedAsync(id, TimeSpan.FromSeconds(60));
            var deadAt = await declared;
            var loggedAt = await Task.WhenAny(logLine, Task.Delay(TimeSpan.FromSeconds(5))) == logLine ? await logLine : (DateTimeOffset?)null;
            var firstAt = await first;
            var confirmedAt = await confirmed;
            var sosStateAt = await sosState;
            await device.ClearSosAsync();

            await dashboards[victim].DisposeAsync();
            var restartAt = DateTimeOffset.UtcNow;
            await victim.RestartAsync();
            var healthyAt = DateTimeOffset.UtcNow;
            await WaitActiveAsync(postgres, 2, TimeSpan.FromSeconds(60));
            var activeAt = DateTimeOffset.UtcNow;
            dashboards[victim] = await BenchDashboard.ConnectAsync(victim.BaseAddress, Token);
            foreach (var home in fleet.Where(d => d.HomePort == victim.MqttPort))
            {
                home.GoHome();
            }

            var result = new Round(round + 1, victim.Name, Ms(killedAt, deadAt), Ms(killedAt, loggedAt), Ms(published, acked), Ms(published, firstAt), Ms(published, confirmedAt), Ms(published, sosStateAt),
                (healthyAt - restartAt).TotalMilliseconds, (activeAt - restartAt).TotalMilliseconds, firstAt is not null && dashboards[survivor].WasProvisional(id));
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {result.Number,2}: killed {result.Silo}; declared dead {Show(result.DeadMs)} (survivor's log {Show(result.LoggedMs)}); SOS from {device.DeviceId}: PUBACK {Show(result.PubackMs)}, first alertRaised {Show(result.FirstMs)}{(result.Provisional ? " (provisional)" : "")}, ledger-confirmed {Show(result.ConfirmedMs)}, asset in sos {Show(result.StateMs)}; healthy again {result.HealthyMs / 1000:0.0} s after restart"));
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        var falseDeaths = (await postgres.MembershipAsync()).Where(m => m.Status == Dead && !killed.Contains((m.Port, m.Generation))).ToList();
        Console.WriteLine();
        Console.WriteLine($"failover: {rounds} kills (SIGKILL, alternating silos), two silos on PostgreSQL, {fleet.Count} devices, Cluster:ProbeTimeout 1 s, MissedProbesLimit 3, DeathVotes 2 (defaults)");
        Console.WriteLine($"{"",-58}{"p50",10}{"max",10}{"missing",9}");
        Row("declared dead (membership table status 6) after the kill", results.Select(r => r.DeadMs));
        Row("declared dead (survivor's log line) after the kill", results.Select(r => r.LoggedMs));
        Row("SOS PUBLISH to PUBACK", results.Select(r => r.PubackMs));
        Row("SOS PUBLISH to first alertRaised on survivor's dashboard", results.Select(r => r.FirstMs));
        Row("SOS PUBLISH to ledger-confirmed alert (not provisional)", results.Select(r => r.ConfirmedMs));
        Row("SOS PUBLISH to assetUpdated state sos (for comparison)", results.Select(r => r.StateMs));
        Row("restart to healthy (/health 200)", results.Select(r => (double?)r.HealthyMs));
        Row("restart to active in the membership table", results.Select(r => (double?)r.ActiveMs));
        Console.WriteLine($"first alertRaised provisional in {results.Count(r => r.Provisional)} of {results.Count} rounds");
        Console.WriteLine($"false deaths (silos declared dead that were not killed) over the run: {falseDeaths.Count}{(falseDeaths.Count > 0 ? ": " + string.Join(", ", falseDeaths.Select(f => $"port {f.Port} generation {f.Generation}")) : "")}");
        Console.WriteLine(Benchmarks.Hardware());
        return 0;
    }

    private static async Task<int> SoakAsync(BenchPostgres postgres, ClusterSilo[] silos, List<BenchDevice> fleet, int minutes)
    {
        var before = silos.ToDictionary(s => s, s => ProbeWarnings.ToDictionary(w => w, s.Count));
        var end = DateTime.UtcNow + TimeSpan.FromMinutes(minutes);
        var acked = fleet.Sum(d => d.Acked);
        var clock = Stopwatch.StartNew();
        var since = clock.Elapsed;
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(60, Math.Max(1, (end - DateTime.UtcNow).TotalSeconds))));
            var now = fleet.Sum(d => d.Acked);
            var seconds = (clock.Elapsed - since).TotalSeconds;
            since = clock.Elapsed;
            var latencies = fleet.SelectMany(d => d.TakeLatencies()).Order().ToList();
            var dead = (await postgres.MembershipAsync()).Count(m => m.Status == Dead);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{clock.Elapsed.TotalMinutes,5:0.0} min] {(now - acked) / seconds,7:0} fixes/s acknowledged, PUBACK p50 {Benchmarks.Percentile(latencies, 0.5),6:0.0} ms p99 {Benchmarks.Percentile(latencies, 0.99),7:0.0} ms max {(latencies.Count > 0 ? latencies[^1] : double.NaN),7:0} ms; silos declared dead so far: {dead}; probe warnings A {silos[0].Count(ProbeWarnings[0]) + silos[0].Count(ProbeWarnings[1])}, B {silos[1].Count(ProbeWarnings[0]) + silos[1].Count(ProbeWarnings[1])}"));
            acked = now;
        }

        var falseDeaths = (await postgres.MembershipAsync()).Where(m => m.Status == Dead).ToList();
        Console.WriteLine();
        Console.WriteLine($"soak: {minutes} min, two silos on PostgreSQL, {fleet.Count} devices, no kills");
        Console.WriteLine($"false deaths (silos declared dead; none was killed): {falseDeaths.Count}{(falseDeaths.Count > 0 ? ": " + string.Join(", ", falseDeaths.Select(f => $"port {f.Port} generation {f.Generation}")) : "")}");
        Console.WriteLine("lines in the silos' logs during the soak:");
        foreach (var warning in ProbeWarnings)
        {
            Console.WriteLine($"  {warning,-40} A {silos[0].Count(warning) - before[silos[0]][warning],5}   B {silos[1].Count(warning) - before[silos[1]][warning],5}");
        }

        Console.WriteLine(Benchmarks.Hardware());
        return 0;
    }

    private static void Row(string what, IEnumerable<double?> values)
    {
        var all = values.ToList();
        var seen = all.OfType<double>().Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-58}{Benchmarks.Percentile(seen, 0.5),8:0} ms{(seen.Count > 0 ? seen[^1] : double.NaN),8:0} ms{all.Count - seen.Count,9}"));
    }

    private static double? Ms(DateTimeOffset from, DateTimeOffset? to) => to is { } t ? (t - from).TotalMilliseconds : null;

    private static string Show(double? ms) => ms is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m:0} ms") : "never";

    internal static async Task WaitActiveAsync(BenchPostgres postgres, int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while ((await postgres.MembershipAsync()).Count(m => m.Status == Active) != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {count} silos active in the membership table within {within.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<DateTimeOffset?> WaitForStatusAsync(BenchPostgres postgres, int port, int generation, int status, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        await using var connection = new Npgsql.NpgsqlConnection(postgres.Database);
        await connection.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT status FROM orleansmembershiptable WHERE port = @port AND generation = @generation", connection);
        query.Parameters.AddWithValue("port", port);
        query.Parameters.AddWithValue("generation", generation);
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await query.ExecuteScalarAsync() is int seen && seen == status)
            {
                return DateTimeOffset.UtcNow;
            }

            await Task.Delay(20);
        }

        return null;
    }

    private sealed record Round(
        int Number, string Silo, double? DeadMs, double? LoggedMs, double? PubackMs, double? FirstMs, double? ConfirmedMs, double? StateMs,
        double HealthyMs, double ActiveMs, bool Provisional);
}

/// <summary>
/// A tracker of the benchmark: QoS 1 fixes at a steady rate to its own broker, each sent again until acknowledged, over
/// the other broker when its own is gone; an SOS goes out at once on the same connection, beside the fix in flight.
/// </summary>
public sealed class BenchDevice(string deviceId, string assetId, string secret, int[] ports, int homeBroker, double lat, double lon) : IAsyncDisposable
{
    private readonly int _home = homeBroker;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentQueue<double> _latencies = new();
    private IMqttClient? _client;
    private int _broker = homeBroker;
    private int _acked;
    private long _lastTs;
    private volatile bool _goHome;
    private volatile int _connectedPort;

    public string DeviceId => deviceId;

    public string AssetId => assetId;

    public int HomePort => ports[_home];

    public int ConnectedPort => _connectedPort;

    public int Acked => Volatile.Read(ref _acked);

    public void GoHome() => _goHome = true;

    /// <summary>PUBACK latencies since the last call.</summary>
    public List<double> TakeLatencies()
    {
        var taken = new List<double>();
        while (_latencies.TryDequeue(out var ms))
        {
            taken.Add(ms);
        }

        return taken;
    }

    public async Task StreamAsync(TimeSpan interval, CancellationToken stop)
    {
        var step = 0;
        while (!stop.IsCancellationRequested)
        {
            var ts = NextTs();
            var fix = string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"lat":{{lat + (step++ % 100 * 0.00001):0.0000000}},"lon":{{lon:0.0000000}},"acc":4}""");
            var started = Stopwatch.GetTimestamp();
            if (await SendAsync("position", fix, stop) is null)
            {
                return;
            }

            _latencies.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Interlocked.Increment(ref _acked);
            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Raises an SOS now: its device time, when its PUBLISH went out, and when it was acknowledged.</summary>
    public async Task<(DateTimeOffset Ts, DateTimeOffset Published, DateTimeOffset? Acked)> SosAsync()
    {
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(NextTs());
        var published = DateTimeOffset.UtcNow;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var acked = await SendAsync("status", $$"""{"ts":{{ts.ToUnixTimeMilliseconds()}},"state":"sos"}""", limit.Token);
        return (ts, published, acked);
    }

    public async Task ClearSosAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await SendAsync("status", $$"""{"ts":{{NextTs()}},"state":"working"}""", limit.Token);
    }

    /// <summary>Sends until acknowledged with success; answers when, or null when stopped first.</summary>
    private async Task<DateTimeOffset?> SendAsync(string kind, string payload, CancellationToken stop)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic($"cmac/v1/{deviceId}/{kind}").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var client = await ConnectedAsync(stop);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var result = await client.PublishAsync(message, timeout.Token);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    return DateTimeOffset.UtcNow;
                }
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                await DropAsync();
            }
            catch (Exception)
            {
                return null;
            }

            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    private long NextTs()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long last, next;
        do
        {
            last = Interlocked.Read(ref _lastTs);
            next = Math.Max(now, last + 1);
        }
        while (Interlocked.CompareExchange(ref _lastTs, next, last) != last);
        return next;
    }

    private async Task<IMqttClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_goHome && _client is { IsConnected: true } elsewhere && _connectedPort != HomePort)
            {
                _goHome = false;
                try
                {
                    await elsewhere.DisconnectAsync(cancellationToken: cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // the new connection is what counts
                }

                _client.Dispose();
                _client = null;
                _broker = _home;
            }

            if (_client is { IsConnected: true } connected)
            {
                return connected;
            }

            _client?.Dispose();
            _client = null;
            _connectedPort = 0;
            var port = ports[_broker];
            _broker = (_broker + 1) % ports.Length; // should this fail, the next attempt goes to the other broker
            var client = new MqttClientFactory().CreateMqttClient();
            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId($"{deviceId}:{Guid.NewGuid():N}")
                .WithCredentials(deviceId, secret).WithProtocolVersion(MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(10)).Build();
            try
            {
                var result = await client.ConnectAsync(options, cancellationToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"{deviceId}: CONNECT refused {result.ResultCode}");
                }
            }
            catch
            {
                client.Dispose();
                throw;
            }

            _broker = (_broker + ports.Length - 1) % ports.Length;
            _client = client;
            _connectedPort = port;
            return client;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task DropAsync()
    {
        await _connecting.WaitAsync();
        try
        {
            if (_client is { IsConnected: false } gone)
            {
                gone.Dispose();
                _client = null;
                _connectedPort = 0;
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                await client.DisconnectAsync();
            }
            catch (Exception)
            {
                // the silo may be gone
            }
        }

        _client?.Dispose();
        _connecting.Dispose();
    }
}

/// <summary>A dashboard of the benchmark: a SignalR client on one silo, noting when each alert first arrived.</summary>
public sealed class BenchDashboard : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> _first = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> _confirmed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _provisional = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> _sosStates = new(StringComparer.Ordinal);

    private BenchDashboard(HubConnection connection) => _connection = connection;

    public static async Task<BenchDashboard> ConnectAsync(Uri silo, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(silo, "/hubs/ops"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        var dashboard = new BenchDashboard(connection);
        connection.On<JsonElement>("alertRaised", alert => dashboard.Seen(alert, raised: true));
        connection.On<JsonElement>("alertUpdated", alert => dashboard.Seen(alert, raised: false));
        connection.On<JsonElement>("assetUpdated", status =>
        {
            if (status.GetProperty("state").GetString() == "sos" && dashboard._sosStates.TryRemove(status.GetProperty("id").GetString()!, out var watch))
            {
                watch.TrySetResult(DateTimeOffset.UtcNow);
            }
        });
        await connection.StartAsync();
        return dashboard;
    }

    /// <summary>When the first alertRaised with this id arrived (provisional or not), or null within the time.</summary>
    public Task<DateTimeOffset?> FirstAsync(string id, TimeSpan within) => WaitAsync(_first, id, within);

    /// <summary>When the first alert event with this id that is not provisional arrived, or null within the time.</summary>
    public Task<DateTimeOffset?> ConfirmedAsync(string id, TimeSpan within) => WaitAsync(_confirmed, id, within);

    public bool WasProvisional(string id) => _provisional.GetValueOrDefault(id);

    /// <summary>When the next assetUpdated of this asset in state <c>sos</c> arrives (the dashboard's other SOS signal), or null within the time.</summary>
    public async Task<DateTimeOffset?> NextSosStateAsync(string assetId, TimeSpan within)
    {
        var watch = _sosStates.GetOrAdd(assetId, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            return await watch.Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private void Seen(JsonElement alert, bool raised)
    {
        var at = DateTimeOffset.UtcNow;
        var id = alert.GetProperty("id").GetString()!;
        var provisional = alert.TryGetProperty("provisional", out var p) && p.ValueKind == JsonValueKind.True;
        if (raised && Slot(_first, id).TrySetResult(at))
        {
            _provisional[id] = provisional;
        }

        if (!provisional)
        {
            Slot(_confirmed, id).TrySetResult(at);
        }
    }

    private static TaskCompletionSource<DateTimeOffset> Slot(ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> slots, string id) =>
        slots.GetOrAdd(id, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously));

    private static async Task<DateTimeOffset?> WaitAsync(ConcurrentDictionary<string, TaskCompletionSource<DateTimeOffset>> slots, string id, TimeSpan within)
    {
        try
        {
            return await Slot(slots, id).Task.WaitAsync(within);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
