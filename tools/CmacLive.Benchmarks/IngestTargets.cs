using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using CmacLive.Alerts;

namespace CmacLive.Benchmarks;

/// <summary>What the load is sent to in one mode: where each device connects, what has arrived, and the process's memory.</summary>
public interface IIngestTarget : IAsyncDisposable
{
    /// <summary>CONNECTs in parallel: a silo checks a PBKDF2 hash for each.</summary>
    int ConnectParallelism { get; }

    /// <summary>The SOS probe, when there are dashboards to raise it on.</summary>
    SosProbe? Sos { get; }

    int PortOf(LoadDevice device);

    /// <summary>Fixes stored (the product) or received by the subscriber (the relay) since the start.</summary>
    Task<long> ArrivedAsync();

    /// <summary>Whether the newest fix of each device is on every dashboard (the subscriber, for the relay).</summary>
    bool HasNewest(IReadOnlyList<LoadDevice> devices);

    /// <summary>Fix-to-dashboard latencies (ms) since the last call, every dashboard's.</summary>
    List<double> TakeLatencies();

    /// <summary>The resident memory of the broker's or silos' processes, in MB.</summary>
    double RssMb();

    /// <summary>CPU time used so far by the broker's or silos' processes, in seconds.</summary>
    double CpuSeconds();

    /// <summary>What went wrong on the product's side, for the report: refused uplinks and warnings in its log.</summary>
    Task<string> NotesAsync();
}

public sealed class RelayTarget(BareRelay relay) : IIngestTarget
{
    public int ConnectParallelism => 32;

    public SosProbe? Sos => null;

    public int PortOf(LoadDevice device) => relay.Port;

    public Task<long> ArrivedAsync() => Task.FromResult(relay.Received);

    public bool HasNewest(IReadOnlyList<LoadDevice> devices) => relay.HasNewest(devices);

    public List<double> TakeLatencies() => relay.TakeLatencies();

    public double RssMb() => SiloMemory.RssBytes(relay.ProcessId) / 1048576.0;

    public double CpuSeconds() => SiloMemory.CpuSeconds(relay.ProcessId);

    public Task<string> NotesAsync() => Task.FromResult("");

    public ValueTask DisposeAsync() => relay.DisposeAsync();
}

/// <summary>
/// The product: one or two silo processes, their fleet provisioned over REST, dashboards spread over their hubs and an
/// SOS probe device. A fix is stored when its silo counts it accepted (<c>GET /api/ingest/stats</c>): it was appended
/// to durable history first.
/// </summary>
public sealed class ProductTarget : IIngestTarget
{
    public const string Token = "benchmark-admin-token-0123456789";

    /// <summary>Lines of the silo's log that say something went wrong (the simple console formatter's levels).</summary>
    private static readonly string[] Troubles = ["warn:", "fail:", "crit:"];

    /// <summary>The probe's SOS is logged as a warning, by design: not a trouble.</summary>
    private const string ProbeLines = "DU1-IN-SOS";

    private readonly List<ClusterSilo> _silos;
    private readonly List<DashboardProbe> _dashboards;
    private readonly IAsyncDisposable? _owned;
    private readonly string? _folder;
    private readonly Dictionary<string, long> _rejectedAtStart;

    private ProductTarget(List<ClusterSilo> silos, List<DashboardProbe> dashboards, SosProbe sos, IAsyncDisposable? owned, string? folder, Dictionary<string, long> rejected)
    {
        _silos = silos;
        _dashboards = dashboards;
        Sos = sos;
        _owned = owned;
        _folder = folder;
        _rejectedAtStart = rejected;
    }

    public int ConnectParallelism => 8;

    public SosProbe? Sos { get; }

    public IReadOnlyList<ClusterSilo> Silos => _silos;

    /// <summary>
    /// Starts the silos (<paramref name="storage"/>: each silo's storage and cluster settings; null for SQLite in a
    /// throwaway folder), provisions <paramref name="devices"/> and connects <paramref name="dashboards"/> dashboards.
    /// </summary>
    public static async Task<ProductTarget> StartAsync(IReadOnlyList<LoadDevice> devices, int dashboards, string[]? storage, int silos, IAsyncDisposable? owned,
        Func<ClusterSilo, Task>? beforeProvisioning = null)
    {
        string? folder = null;
        if (storage is null)
        {
            folder = Directory.CreateTempSubdirectory("cmaclive-ingest-bench-").FullName;
            storage = [$"--Storage:ConnectionString=Data Source={Path.Combine(folder, "cmaclive.db")}"];
        }

        string[] settings =
        [
            .. storage,
            "--Mqtt:MaxMessagesPerSecondPerDevice=100000", "--Mqtt:MessageBurstPerDevice=100000",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
        ];
        var started = new List<ClusterSilo>();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                started.Add(await ClusterSilo.StartWithAsync(((char)('A' + i)).ToString(), settings, Token, [.. Troubles, ProbeLines]));
            }

            if (beforeProvisioning is not null)
            {
                await beforeProvisioning(started[0]);
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var sosDevice = new LoadDevice(devices.Count, "trk-in-sos", "secret-trk-in-sos");
            await Parallel.ForEachAsync(devices.Append(sosDevice), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (device, token) =>
            {
                var http = started[0].Http;
                var asset = AssetOf(device);
                (await http.PutAsJsonAsync($"/api/assets/{asset}", new { kind = "team", name = $"Team {device.Index}", unit = asset[..3] }, token)).EnsureSuccessStatusCode();
                (await http.PutAsJsonAsync($"/api/devices/{device.Id}", new { assetId = asset, kind = "tracker", secret = device.Secret }, token)).EnsureSuccessStatusCode();
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  provisioned {devices.Count + 1} assets and tracker devices over REST, 8 at a time, in {clock.Elapsed.TotalSeconds:0.0} s"));

            var assets = devices.ToDictionary(AssetOf, d => d.Index, StringComparer.Ordinal);
            var probes = new List<DashboardProbe>();
            for (var i = 0; i < dashboards; i++)
            {
                probes.Add(await DashboardProbe.ConnectAsync(started[i % started.Count].BaseAddress, Token, assets));
            }

            var sosPort = started[^1].MqttPort;
            var sos = await SosProbe.ConnectAsync(sosDevice, AssetOf(sosDevice), sosPort, probes);
            var rejected = await RejectedAsync(started);
            return new ProductTarget(started, probes, sos, owned, folder, rejected);
        }
        catch
        {
            foreach (var silo in started)
            {
                Console.Error.WriteLine($"silo {silo.Name}'s last lines:\n{silo.Tail}");
                await silo.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The team asset a device of the load reports for, in one of six units.</summary>
    public static string AssetOf(LoadDevice device) => device.Id == "trk-in-sos" ? "DU1-IN-SOS" : $"DU{(device.Index % 6) + 1}-IN-{device.Index:00000}";

    /// <summary>Devices are split evenly over the silos' brokers.</summary>
    public int PortOf(LoadDevice device) => _silos[device.Index % _silos.Count].MqttPort;

    public async Task<long> ArrivedAsync()
    {
        long accepted = 0;
        foreach (var silo in _silos)
        {
            var stats = await silo.Http.GetFromJsonAsync<Stats>("/api/ingest/stats");
            accepted += stats!.Accepted.Values.Sum();
        }

        return accepted - (Sos?.Acked ?? 0); // the probe's statuses are accepted too
    }

    public bool HasNewest(IReadOnlyList<LoadDevice> devices) => _dashboards.All(d => d.HasNewest(devices));

    public List<double> TakeLatencies() => [.. _dashboards.SelectMany(d => d.TakeLatencies())];

    public double RssMb() => _silos.Sum(s => SiloMemory.RssBytes(s.ProcessId)) / 1048576.0;

    public double CpuSeconds() => _silos.Sum(s => SiloMemory.CpuSeconds(s.ProcessId));

    public async Task<string> NotesAsync()
    {
        var notes = new StringBuilder();
        var rejected = await RejectedAsync(_silos);
        foreach (var (reason, count) in rejected.Where(r => r.Value > _rejectedAtStart.GetValueOrDefault(r.Key)))
        {
            notes.Append(CultureInfo.InvariantCulture, $"uplinks refused ({reason}): {count - _rejectedAtStart.GetValueOrDefault(reason)}; ");
        }

        foreach (var silo in _silos)
        {
            var troubles = Troubles.Sum(silo.Count) - silo.Count(ProbeLines);
            if (troubles > 0)
            {
                var last = silo.Tail.Split('\n').Where(l => Troubles.Any(t => l.Contains(t, StringComparison.Ordinal)) && !l.Contains(ProbeLines, StringComparison.Ordinal)).TakeLast(8);
                var shown = last.Any() ? $"the last ones:\n{string.Join('\n', last)}" : "(no longer among the last lines kept)";
                notes.Append(CultureInfo.InvariantCulture, $"silo {silo.Name}: {troubles} warning/error lines besides the probe's SOS, {shown}\n");
            }
        }

        return notes.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (Sos is not null)
        {
            await Sos.DisposeAsync();
        }

        foreach (var dashboard in _dashboards)
        {
            await dashboard.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        if (_owned is not null)
        {
            await _owned.DisposeAsync();
        }

        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static async Task<Dictionary<string, long>> RejectedAsync(IEnumerable<ClusterSilo> silos)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var silo in silos)
        {
            var stats = await silo.Http.GetFromJsonAsync<Stats>("/api/ingest/stats");
            foreach (var (reason, count) in stats!.Rejected)
            {
                total[reason] = total.GetValueOrDefault(reason) + count;
            }
        }

        return total;
    }

    /// <summary>What the benchmark reads of <c>GET /api/ingest/stats</c>.</summary>
    private sealed record Stats(Dictionary<string, long> Accepted, Dictionary<string, long> Rejected);
}

/// <summary>
/// One device outside the load that raises an SOS every 2 s during a step, with a <c>working</c> status between (a new
/// episode starts only after the last one ended), and takes the time from each PUBLISH to its <c>alertRaised</c> on
/// every dashboard (the last of them; none within 5 s counts as missed).
/// </summary>
public sealed class SosProbe : IAsyncDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(5);

    private readonly LoadDevice _device;
    private readonly string _asset;
    private readonly IReadOnlyList<DashboardProbe> _dashboards;
    private readonly MqttWire _wire;
    private readonly Task _reading;
    private ushort _packetId;

    private SosProbe(LoadDevice device, string asset, MqttWire wire, IReadOnlyList<DashboardProbe> dashboards)
    {
        _device = device;
        _asset = asset;
        _wire = wire;
        _dashboards = dashboards;
        _reading = wire.ReadLoopAsync(device.OnPacket, CancellationToken.None);
    }

    /// <summary>The probe's statuses acknowledged (QoS 1).</summary>
    public long Acked => _device.Acked;

    public static async Task<SosProbe> ConnectAsync(LoadDevice device, string asset, int port, IReadOnlyList<DashboardProbe> dashboards)
    {
        var (code, wire) = await MqttWire.ConnectAsync(port, device.Id, device.Id, device.Secret, CancellationToken.None);
        return new SosProbe(device, asset, wire ?? throw new InvalidOperationException($"the SOS probe device was refused ({code})"), dashboards);
    }

    /// <summary>Raises SOS after SOS until <paramref name="stop"/>; each one's time to every dashboard (ms), null when missed.</summary>
    public async Task<List<double?>> RunAsync(CancellationToken stop)
    {
        var measured = new List<Task<double?>>();
        var sos = false;
        while (!stop.IsCancellationRequested)
        {
            sos = !sos;
            var (ts, at) = Send(sos ? "sos" : "working");
            if (sos)
            {
                measured.Add(MeasureAsync(AlertIds.For(AlertKinds.Sos, _asset, DateTimeOffset.FromUnixTimeMilliseconds(ts)), at));
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (sos)
        {
            Send("working");
        }

        return [.. await Task.WhenAll(measured)];
    }

    public async ValueTask DisposeAsync()
    {
        _wire.Dispose();
        await _reading;
    }

    private (long Ts, DateTimeOffset At) Send(string state)
    {
        var at = DateTimeOffset.UtcNow;
        var ts = Math.Max(at.ToUnixTimeMilliseconds(), _device.LastTs + 1);
        _device.LastTs = ts;
        _packetId = (ushort)(_packetId % ushort.MaxValue + 1);
        var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"ts":{{ts}},"state":"{{state}}"}"""));
        _wire.Send(MqttWire.PublishPacket($"cmac/v1/{_device.Id}/status", payload, _packetId));
        return (ts, at);
    }

    private async Task<double?> MeasureAsync(string id, DateTimeOffset published)
    {
        var arrivals = await Task.WhenAll(_dashboards.Select(d => d.AlertAsync(id, Within)));
        return arrivals.Any(a => a is null) ? null : arrivals.Max(a => (a!.Value - published).TotalMilliseconds);
    }
}
