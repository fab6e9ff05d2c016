using System.Diagnostics;
using System.Globalization;

namespace CmacLive.Benchmarks;

/// <summary>
/// The MQTT-fix-to-dashboard hot path against a bare MQTT relay, side by side on this machine (issue 15). Device
/// connections of a hand-written MQTT 3.1.1 client publish position fixes at an aggregate rate for a while, step by
/// step up a ladder of rates; a step kept up when every fix sent was stored (the product) or received (the relay)
/// and the last fix of every device was on every dashboard within 1.5 s of the end of the load. The knee is the
/// highest rate kept up. Modes: the relay; the product on SQLite with QoS 0 and with QoS 1 (a fix kept when its
/// PUBACK arrives, after it is durable); on PostgreSQL; two silos on PostgreSQL. Optionally, the silo's memory per
/// connected, tracked device.
/// </summary>
public static class IngestBenchmark
{
    public const string Command = "ingest";

    private static readonly TimeSpan KeepUpWithin = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan DrainCap = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new IngestOptions(
            Benchmarks.Option(args, "--devices", 1000),
            Benchmarks.Option(args, "--seconds", 10),
            Benchmarks.Option(args, "--dashboards", 10),
            List(args, "--rates", "2500,5000,7500,10000,12500,15000,20000,25000,30000"),
            args.Contains("--keep-going"),
            Benchmarks.Text(args, "--postgres"));
        var modes = (Benchmarks.Text(args, "--modes") ?? "relay,qos0,qos1").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var memory = Benchmarks.Text(args, "--memory") is null ? [] : List(args, "--memory", "");
        if (modes.Except(["relay", "qos0", "qos1", "postgres", "cluster"]).FirstOrDefault() is { } unknown)
        {
            Console.Error.WriteLine($"no such mode: {unknown}");
            return Benchmarks.Fail();
        }

        Console.WriteLine(Benchmarks.Hardware());
        Console.WriteLine($"ingest: {options.Devices} devices, {options.Seconds} s a step, {options.Dashboards} dashboards on the product; rates {string.Join(',', options.Rates)} fixes/s{(options.KeepGoing ? "" : ", a mode stops after the first step not kept up")}");
        Console.WriteLine("the product runs with Mqtt:MaxMessagesPerSecondPerDevice and Mqtt:MessageBurstPerDevice raised to 100000 (the default 20/s per device would refuse the load)");
        var results = new Dictionary<string, ModeResult>(StringComparer.Ordinal);
        foreach (var mode in modes)
        {
            results[mode] = await RunModeAsync(mode, options);
        }

        var perDevice = new Dictionary<int, double?>();
        foreach (var n in memory)
        {
            perDevice[n] = await MeasureMemoryAsync(n);
        }

        Console.WriteLine();
        Goals(results, perDevice);
        Console.WriteLine(Benchmarks.Hardware());
        return 0;
    }

    private static async Task<ModeResult> RunModeAsync(string mode, IngestOptions options)
    {
        Console.WriteLine();
        Console.WriteLine(mode switch
        {
            "relay" => "mode relay: a bare MQTTnet broker (no logic) in a process of its own, one QoS 0 subscriber to cmac/v1/+/position here",
            "qos0" => "mode qos0: the product (silo process, SQLite, history on), QoS 0 fixes",
            "qos1" => $"mode qos1: the product (silo process, SQLite), QoS 1 fixes, a fix kept when its PUBACK arrives, at most {MqttLoadGenerator.MaxInFlight} unacknowledged per connection",
            "postgres" => "mode postgres: the product (silo process, PostgreSQL), QoS 0 fixes",
            _ => "mode cluster: two silos on PostgreSQL, devices and dashboards split over both, QoS 0 fixes",
        });
        var devices = Enumerable.Range(0, options.Devices).Select(i => new LoadDevice(i, $"trk-in-{i:00000}", $"secret-trk-in-{i:00000}")).ToList();
        await using var target = await StartTargetAsync(mode, devices, options);
        var clock = Stopwatch.StartNew();
        await MqttLoadGenerator.ConnectAsync(devices, target.PortOf, target.ConnectParallelism, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {devices.Count} devices connected ({target.ConnectParallelism} at a time) in {clock.Elapsed.TotalSeconds:0.0} s"));
        try
        {
            var load = new MqttLoadGenerator(devices, qos1: mode == "qos1");
            var warm = await WarmUpAsync(target, load);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warm-up: one fix from each device, all stored and on the dashboards in {warm.TotalSeconds:0.0} s (not counted)"));
            Console.WriteLine(Step.Header);
            var steps = new List<Step>();
            foreach (var rate in options.Rates)
            {
                var step = await StepAsync(target, load, rate, options.Seconds);
                steps.Add(step);
                Console.WriteLine(step.Row);
                if (!step.KeptUp && !options.KeepGoing)
                {
                    break;
                }
            }

            var knee = steps.Where(s => s.KeptUp).Select(s => s.Rate).DefaultIfEmpty(0).Max();
            Step? half = null;
            if (knee > 0)
            {
                // A step of its own, after the others: the ladder's first steps also warm the silo up (activations, JIT).
                half = await StepAsync(target, load, knee / 2, options.Seconds);
                Console.WriteLine(half.Row + "   (half the knee)");
            }

            var atKnee = steps.FirstOrDefault(s => s.Rate == knee);
            var top = steps.Count == options.Rates.Length && steps[^1].KeptUp;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {mode}: knee {(top ? "≥ " : "")}{knee} fixes/s{(top ? " (the ladder's top rate kept up)" : "")}; at half the knee ({knee / 2}/s) fix→dashboard p99 {half?.P99 ?? double.NaN:0} ms"));
            var notes = await target.NotesAsync();
            if (notes.Length > 0)
            {
                Console.WriteLine($"  notes: {notes.TrimEnd()}");
            }

            return new ModeResult(knee, top, half, atKnee);
        }
        finally
        {
            await MqttLoadGenerator.DisconnectAsync(devices);
        }
    }

    private static async Task<IIngestTarget> StartTargetAsync(string mode, IReadOnlyList<LoadDevice> devices, IngestOptions options)
    {
        switch (mode)
        {
            case "relay":
                return new RelayTarget(await BareRelay.StartAsync(devices.Count));
            case "qos0" or "qos1":
                return await ProductTarget.StartAsync(devices, options.Dashboards, null, 1, null);
            default:
                var postgres = await BenchPostgres.OpenAsync(options.Postgres, "cmac_ingest");
                Console.WriteLine($"  PostgreSQL: {postgres.Source}, a fresh database");
                try
                {
                    string[] storage = ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={postgres.Database}"];
                    var cluster = mode == "cluster";
                    var product = await ProductTarget.StartAsync(devices, options.Dashboards, cluster ? [.. storage, "--Cluster:Provider=Postgres"] : storage, cluster ? 2 : 1, postgres);
                    if (cluster)
                    {
                        await FailoverBenchmark.WaitActiveAsync(postgres, 2, TimeSpan.FromSeconds(60));
                    }

                    return product;
                }
                catch
                {
                    await postgres.DisposeAsync();
                    throw;
                }
        }
    }

    /// <summary>One fix from each device, waited for everywhere: every asset active and on the dashboards before the first step.</summary>
    private static async Task<TimeSpan> WarmUpAsync(IIngestTarget target, MqttLoadGenerator load)
    {
        var clock = Stopwatch.StartNew();
        var before = await ArrivedAsync(target, load);
        load.SendOneEach();
        while (await ArrivedAsync(target, load) - before < load.Devices.Count || !target.HasNewest(load.Devices))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException("the warm-up's fixes were not all stored and on the dashboards within 120 s");
            }

            await Task.Delay(50);
        }

        target.TakeLatencies();
        return clock.Elapsed;
    }

    private static async Task<Step> StepAsync(IIngestTarget target, MqttLoadGenerator load, int rate, int seconds)
    {
        var arrivedBefore = await ArrivedAsync(target, load);
        target.TakeLatencies();
        using var stopProbe = new CancellationTokenSource();
        var sos = target.Sos?.RunAsync(stopProbe.Token);

        using var self = Process.GetCurrentProcess();
        var cpuBefore = (Target: target.CpuSeconds(), Self: self.TotalProcessorTime.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var sent = await load.RunAsync(rate, TimeSpan.FromSeconds(seconds));
        var loaded = clock.Elapsed;
        self.Refresh();
        var cpu = (Target: (target.CpuSeconds() - cpuBefore.Target) / loaded.TotalSeconds * 100, Self: (self.TotalProcessorTime.TotalSeconds - cpuBefore.Self) / loaded.TotalSeconds * 100);
        await stopProbe.CancelAsync();

        // Drain: until every fix sent arrived and the newest of every device is on every dashboard, or the cap.
        TimeSpan? newestAt = null, drained = null;
        long arrived;
        while (true)
        {
            var since = clock.Elapsed - loaded;
            arrived = await ArrivedAsync(target, load) - arrivedBefore;
            if (newestAt is null && target.HasNewest(load.Devices))
            {
                newestAt = since;
            }

            if (arrived >= sent && newestAt is not null)
            {
                drained = since;
                break;
            }

            if (since > DrainCap)
            {
                break;
            }

            await Task.Delay(20);
        }

        var latencies = target.TakeLatencies();
        latencies.Sort();
        var probes = sos is null ? [] : await sos;
        var achieved = sent / loaded.TotalSeconds;
        var keptUp = arrived >= sent && newestAt <= KeepUpWithin && achieved >= rate * 0.95;
        return new Step(rate, achieved, keptUp, drained, Benchmarks.Percentile(latencies, 0.5), Benchmarks.Percentile(latencies, 0.99),
            target.RssMb(), cpu.Target, cpu.Self, sent, arrived, probes);
    }

    /// <summary>Fixes arrived: with QoS 1, those acknowledged (each after it was durable); else what the target counts.</summary>
    private static async Task<long> ArrivedAsync(IIngestTarget target, MqttLoadGenerator load) => load.Qos1 ? load.Acked : await target.ArrivedAsync();

    /// <summary>
    /// The silo's memory per connected, tracked device: a fresh silo, its resident set after a forced GC with nothing
    /// provisioned, then with <paramref name="count"/> devices connected, each having sent a
    /// few fixes (its asset active) and all stored, after a forced GC again.
    /// </summary>
    private static async Task<double?> MeasureMemoryAsync(int count)
    {
        Console.WriteLine();
        Console.WriteLine($"memory: {count} devices, a fresh silo (SQLite), no dashboards");
        var devices = Enumerable.Range(0, count).Select(i => new LoadDevice(i, $"trk-in-{i:00000}", $"secret-trk-in-{i:00000}")).ToList();
        // The baseline is the silo started and nothing provisioned: what a device costs includes its asset and device
        // (their activations, state and the silo's indexes of them) as well as its connection.
        string? gc = null;
        long empty = 0;
        await using var product = await ProductTarget.StartAsync(devices, 0, null, 1, null, async silo =>
        {
            await Task.Delay(TimeSpan.FromSeconds(8)); // past the start-up sweep
            gc = await SiloMemory.CollectAsync(silo.ProcessId);
            empty = SiloMemory.RssBytes(silo.ProcessId);
        });
        var pid = product.Silos[0].ProcessId;
        var clock = Stopwatch.StartNew();
        await MqttLoadGenerator.ConnectAsync(devices, product.PortOf, product.ConnectParallelism, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {count} devices connected ({product.ConnectParallelism} at a time) in {clock.Elapsed.TotalSeconds:0.0} s"));
        try
        {
            var load = new MqttLoadGenerator(devices, qos1: false);
            var before = await product.ArrivedAsync();
            for (var i = 0; i < 3; i++)
            {
                load.SendOneEach();
                await Task.Delay(200);
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (await product.ArrivedAsync() - before < 3L * count && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            var stored = await product.ArrivedAsync() - before;
            await Task.Delay(TimeSpan.FromSeconds(2));
            gc ??= await SiloMemory.CollectAsync(pid);
            var full = SiloMemory.RssBytes(pid);
            var perDevice = (full - empty) / 1024.0 / count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  silo RSS {(gc is null ? "after a forced full GC" : "WITHOUT a forced GC")}: {empty / 1048576.0:0.0} MB with nothing provisioned, {full / 1048576.0:0.0} MB with {count} connected and tracked ({stored} of {3L * count} fixes stored): {perDevice:0.0} KB per device"));
            if (gc is not null)
            {
                Console.WriteLine($"  (the GC could not be forced: {gc})");
            }

            Console.WriteLine("  (managed heap not measured: reading it needs the GC's events decoded)");
            return perDevice;
        }
        finally
        {
            await MqttLoadGenerator.DisconnectAsync(devices);
        }
    }

    private static void Goals(Dictionary<string, ModeResult> results, Dictionary<int, double?> memory)
    {
        static string Met(bool met) => met ? "met" : "NOT met";
        var ci = CultureInfo.InvariantCulture;
        var relay = results.GetValueOrDefault("relay");
        var qos0 = results.GetValueOrDefault("qos0");
        var qos1 = results.GetValueOrDefault("qos1");
        var postgres = results.GetValueOrDefault("postgres");
        var cluster = results.GetValueOrDefault("cluster");
        foreach (var (mode, result) in results)
        {
            Console.WriteLine($"knee {mode}: {result.Shown}");
        }

        RatioGoal("product QoS 0 knee ≥ bare relay knee", ("qos0", qos0), ("relay", relay), 1.0);
        RatioGoal("QoS 1 knee ≥ 0.5 × QoS 0 knee", ("qos1", qos1), ("qos0", qos0), 0.5);

        if (qos0 is not null)
        {
            var p99 = qos0.Half?.P99 ?? double.NaN;
            Console.WriteLine(string.Create(ci, $"goal: fix→dashboard p99 ≤ 150 ms at half the knee: {Met(p99 <= 150)} (qos0 at {qos0.Knee / 2}/s: p99 {p99:0} ms, p50 {qos0.Half?.P50 ?? double.NaN:0} ms)"));
            var sos = qos0.AtKnee?.Sos ?? [];
            var max = sos.Count > 0 && sos.All(s => s is not null) ? sos.Max() : null;
            Console.WriteLine(string.Create(ci,
                $"goal: an SOS on every dashboard within 1 s, every time, at the knee: {Met(max is <= 1000)} (qos0 at {qos0.Knee}/s: {sos.Count} SOS, {sos.Count(s => s is null)} missed, max {(max is { } m ? m.ToString("0", ci) + " ms" : "-")})"));
        }

        foreach (var (n, perDevice) in memory)
        {
            Console.WriteLine(string.Create(ci, $"goal: ≤ 40 KB of silo memory per connected, tracked device ({n} devices): {Met(perDevice <= 40)} ({perDevice:0.0} KB)"));
        }

        RatioGoal("PostgreSQL knee ≥ 0.8 × SQLite's", ("postgres", postgres), ("sqlite", qos0), 0.8);
        RatioGoal("two silos on PostgreSQL ≥ 1.6 × one", ("cluster", cluster), ("one silo", postgres), 1.6);

        // A goal of one mode's knee against another's, when both were run.
        void RatioGoal(string goal, (string Name, ModeResult? Result) measured, (string Name, ModeResult? Result) against, double least)
        {
            if (measured.Result is { } m && against.Result is { } a)
            {
                // A knee at the ladder's top is only a lower bound: against one, the ratio is an upper bound and proves no goal.
                var ratio = Ratio(m.Knee, a.Knee);
                var verdict = ratio >= least && a.AtTop ? $"not shown ({against.Name} kept up at the ladder's top: raise --rates)" : Met(ratio >= least);
                Console.WriteLine(string.Create(ci, $"goal: {goal}: {verdict} ({measured.Name} {m.Shown}, {against.Name} {a.Shown}, ratio {ratio:0.00})"));
            }
        }
    }

    private static double Ratio(int a, int b) => b == 0 ? double.NaN : a / (double)b;

    private static int[] List(string[] args, string name, string fallback) =>
        [.. (Benchmarks.Text(args, name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];

    private sealed record IngestOptions(int Devices, int Seconds, int Dashboards, int[] Rates, bool KeepGoing, string? Postgres);

    /// <summary>A mode's knee; <paramref name="AtTop"/> when the ladder's top rate kept up (the knee is at least that).</summary>
    private sealed record ModeResult(int Knee, bool AtTop, Step? Half, Step? AtKnee)
    {
        public string Shown => $"{(AtTop ? "≥ " : "")}{Knee}/s";
    }

    private sealed record Step(int Rate, double Achieved, bool KeptUp, TimeSpan? Drained, double P50, double P99, double RssMb, double TargetCpu, double SelfCpu, long Sent, long Arrived, List<double?> Sos)
    {
        public const string Header = "      rate  achieved  kept up   drain s   p50 ms   p99 ms   RSS MB  CPU % (broker/silo, bench)   arrived/sent        SOS p50/max ms (n, missed)";

        public string Row
        {
            get
            {
                var sos = Sos.OfType<double>().Order().ToList();
                var missed = Sos.Count - sos.Count;
                return string.Create(CultureInfo.InvariantCulture,
                    $"  {Rate,8} {Achieved,9:0} {(KeptUp ? "yes" : "no"),8} {(Drained is { } d ? d.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) : ">30"),9} {P50,8:0} {P99,8:0} {RssMb,8:0} {TargetCpu,12:0} {SelfCpu,14:0}    {Arrived,8}/{Sent,-8} {(Sos.Count == 0 ? "-" : $"{Benchmarks.Percentile(sos, 0.5):0}/{(sos.Count > 0 ? sos[^1] : double.NaN):0} ({Sos.Count}, {missed})")}");
            }
        }
    }
}
