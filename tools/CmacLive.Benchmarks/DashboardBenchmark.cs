using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using MQTTnet;

namespace CmacLive.Benchmarks;

/// <summary>
/// Whether the command dashboard keeps up with a large fleet: an embedded silo on loopback, N assets in
/// clearance sites of fifty, every one reporting a fix a second over MQTT from its own connection, and the
/// dashboard open in headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright). For a
/// country view (everything clustered) and a site view (every marker drawn), it reports the page's frame
/// times, long tasks, main-thread busy share and script heap, and how long a fix takes from the PUBLISH to the
/// page's model (a probe asset moved once a second, watched every frame). Screenshots of both views go to
/// <c>--out</c>. Everything shares the same cores: the figures include the silo and the simulated devices.
/// </summary>
public static class DashboardBenchmark
{
    private const int SiteSize = 50;

    // Installed in the page: every frame's interval, long tasks, and when the probe's marker moved.
    private const string Probe = """
        () => {
          const bench = window.__bench = { frames: [], longTasks: [], seen: [] };
          let last = performance.now();
          let known = null;
          const frame = (now) => {
            bench.frames.push(now - last);
            last = now;
            const p = window.cmacLive.position('probe');
            if (p && (!known || p.lat !== known.lat || p.lng !== known.lng)) {
              known = p;
              bench.seen.push([Date.now(), p.lat]);
            }
            requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
          new PerformanceObserver((list) => { for (const e of list.getEntries()) bench.longTasks.push(e.duration); })
            .observe({ type: 'longtask', buffered: false });
        }
        """;

    private const string TakeMeasures = """
        () => {
          const b = window.__bench;
          const taken = { frames: b.frames, longTasks: b.longTasks, seen: b.seen };
          b.frames = []; b.longTasks = []; b.seen = [];
          return taken;
        }
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = Benchmarks.Option(args, "--assets", 2000);
        var seconds = Benchmarks.Option(args, "--seconds", 30);
        var output = Path.GetFullPath(Benchmarks.Text(args, "--out") ?? Path.Combine("artifacts", "bench-dashboard"));
        Directory.CreateDirectory(output);

        // Either a silo of its own with a simulated fleet, or (--url, --token) a running system as it is.
        var url = Benchmarks.Text(args, "--url");
        await using var silo = url is null ? await BenchSilo.StartAsync("dashboard") : null;
        var address = silo?.Address ?? new Uri(url!);
        var token = silo is null ? Benchmarks.Text(args, "--token") ?? throw new ArgumentException("--url needs --token") : BenchSilo.Token;
        await using var fleet = silo is null ? null : Fleet.Lay(count, new Random(7));
        using var stop = new CancellationTokenSource();
        var probeSent = new List<(long At, double Lat)>();
        var reporting = Task.CompletedTask;
        (double Lat, double Lon) site;
        if (fleet is not null)
        {
            var setup = Stopwatch.StartNew();
            await fleet.ProvisionAsync(silo!.Http);
            await fleet.ConnectAsync(silo.MqttPort);
            Console.WriteLine($"{count} assets provisioned and connected in {setup.Elapsed.TotalSeconds:0.0} s");
            reporting = fleet.ReportEverySecondAsync(probeSent, stop.Token);
            site = fleet.Sites[0];
        }
        else
        {
            (count, site) = await BusiestPlaceAsync(address, token);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CMAC_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1920, Height = 1080 } });
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(address.ToString());
        await page.ClickAsync("#token-option summary"); // the token is the sign-in form's second way, folded away
        await page.FillAsync("#token", token);
        await page.ClickAsync("#token-sign-in");
        await page.WaitForFunctionAsync($"() => window.cmacLive?.summary().markers >= {count}", null, new PageWaitForFunctionOptions { Timeout = 120_000 });
        // The panels open as a duty officer keeps them: the roster sorted by last seen, so that its order changes with every fix.
        await page.ClickAsync("#roster-sort button[data-column=lastSeen]");
        var panels = await page.EvaluateAsync<JsonElement>(
            "() => ({ rows: document.querySelectorAll('#roster-list .roster-row:not([hidden])').length, listed: document.getElementById('roster-count').textContent, areas: document.querySelectorAll('#area-list li.area').length })");
        Console.WriteLine($"panels open: the roster lists {panels.GetProperty("listed")} assets in {panels.GetProperty("rows")} rows drawn; the areas panel {panels.GetProperty("areas")} areas");
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        await page.EvaluateAsync(Probe);

        var failed = errors.Count > 0;
        Console.WriteLine(fleet is null
            ? $"dashboard of {address}: {count} assets with a position, {seconds} s per view, 1920x1080 headless Chromium"
            : $"dashboard: {count} assets at 1 fix/s each, {seconds} s per view, 1920x1080 headless Chromium");
        foreach (var (name, lat, lon, zoom) in new[] { ("country", 12.7, 104.9, 7), ("site", site.Lat, site.Lon, Benchmarks.Option(args, "--site-zoom", 15)) })
        {
            await page.EvaluateAsync("([lat, lon, zoom]) => window.cmacLive.focus(lat, lon, zoom)", new object[] { lat, lon, zoom });
            await Task.Delay(2000);
            await page.EvaluateAsync(TakeMeasures);
            lock (probeSent)
            {
                probeSent.Clear();
            }

            var before = await MetricsAsync(cdp);
            var (sentBefore, skippedBefore) = (fleet?.Sent ?? 0, fleet?.Skipped ?? 0);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var after = await MetricsAsync(cdp);
            var wall = watch.Elapsed.TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            var measures = await page.EvaluateAsync<JsonElement>(TakeMeasures);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, $"dashboard-{name}.png") });

            var frames = Sorted(measures.GetProperty("frames"));
            var longTasks = Sorted(measures.GetProperty("longTasks"));
            List<double> lags;
            lock (probeSent)
            {
                lags = Lags(probeSent, measures.GetProperty("seen"));
            }

            Console.WriteLine($"  {name} view (zoom {zoom}):");
            if (fleet is not null)
            {
                Console.WriteLine($"    fixes acknowledged {(fleet.Sent - sentBefore) / wall:0} /s ({fleet.Skipped - skippedBefore} turns skipped: previous fix not yet acknowledged); silo and devices use {cpu / wall:0.00} cores");
            }

            Console.WriteLine($"    frames {frames.Count / wall:0.0} /s; interval p50 {Benchmarks.Percentile(frames, 0.5):0.0} ms, p95 {Benchmarks.Percentile(frames, 0.95):0.0} ms, p99 {Benchmarks.Percentile(frames, 0.99):0.0} ms, max {(frames.Count > 0 ? frames[^1] : double.NaN):0.0} ms; over 50 ms: {frames.Count(f => f > 50)}");
            Console.WriteLine($"    long tasks (over 50 ms): {longTasks.Count}, longest {(longTasks.Count > 0 ? longTasks[^1] : 0):0} ms");
            Console.WriteLine($"    page main thread busy {100 * (after["TaskDuration"] - before["TaskDuration"]) / wall:0} % (script {100 * (after["ScriptDuration"] - before["ScriptDuration"]) / wall:0} %, layout and style {100 * (after["LayoutDuration"] + after["RecalcStyleDuration"] - before["LayoutDuration"] - before["RecalcStyleDuration"]) / wall:0} %); script heap {after["JSHeapUsedSize"] / 1048576:0} MiB");
            if (fleet is not null)
            {
                Console.WriteLine($"    probe fix PUBLISH to the page's model: {lags.Count} seen, p50 {Benchmarks.Percentile(lags, 0.5):0} ms, p95 {Benchmarks.Percentile(lags, 0.95):0} ms, max {(lags.Count > 0 ? lags[^1] : double.NaN):0} ms");
                failed |= lags.Count < seconds / 2;
            }
        }

        // An officer zooming in and out with the wheel while the fleet reports: afterwards every marker is
        // in the map's clusters once, and the clustering's grids agree with its tree.
        await page.EvaluateAsync("([lat, lon]) => window.cmacLive.focus(lat, lon, 10)", new object[] { site.Lat, site.Lon });
        await page.Mouse.MoveAsync(700, 540);
        var zooming = Stopwatch.StartNew();
        var zooms = new SortedSet<double>();
        for (var turn = 0; zooming.Elapsed < TimeSpan.FromSeconds(Math.Min(seconds, 15)); turn++)
        {
            await page.Mouse.WheelAsync(0, turn % 4 < 2 ? -400 : 400);
            await Task.Delay(350);
            zooms.Add((await page.EvaluateAsync<JsonElement>("() => window.cmacLive.summary()")).GetProperty("zoom").GetDouble());
        }

        await Task.Delay(1500);
        var shown = await page.EvaluateAsync<string[]>("() => window.cmacLive.shown()");
        var problems = await page.EvaluateAsync<string[]>("() => window.cmacLive.clusterProblems()");
        Console.WriteLine($"  after {zooming.Elapsed.TotalSeconds:0} s of wheel zooming (zooms {string.Join(", ", zooms)}): {shown.Length} markers clustered ({shown.Distinct().Count()} distinct), {problems.Length} grid problems");
        failed |= shown.Length != count || shown.Distinct().Count() != count || problems.Length > 0;

        var summary = await page.EvaluateAsync<JsonElement>("() => window.cmacLive.summary()");
        Console.WriteLine($"  page at the end: {summary.GetProperty("markers").GetInt32()} markers, hub {summary.GetProperty("hub").GetString()}; console errors: {errors.Count}");
        foreach (var error in errors.Take(5))
        {
            Console.WriteLine($"    {error}");
        }

        Console.WriteLine($"  screenshots in {output}");
        Console.WriteLine(Benchmarks.Hardware());
        await stop.CancelAsync();
        await reporting;
        return failed || errors.Count > 0 ? 1 : 0;
    }

    /// <summary>How many assets a running system shows, and the middle of the densest 0.1° square for the site view.</summary>
    private static async Task<(int Count, (double Lat, double Lon) Site)> BusiestPlaceAsync(Uri address, string token)
    {
        using var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var positions = (await http.GetFromJsonAsync<JsonElement>("/api/assets")).EnumerateArray()
            .Where(a => a.GetProperty("position").ValueKind == JsonValueKind.Object)
            .Select(a => (Lat: a.GetProperty("position").GetProperty("lat").GetDouble(), Lon: a.GetProperty("position").GetProperty("lon").GetDouble()))
            .ToList();
        if (positions.Count == 0)
        {
            throw new InvalidOperationException($"no asset at {address} has a position yet");
        }

        var densest = positions.GroupBy(p => (Math.Round(p.Lat, 1), Math.Round(p.Lon, 1))).MaxBy(g => g.Count())!;
        return (positions.Count, (densest.Average(p => p.Lat), densest.Average(p => p.Lon)));
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession cdp)
    {
        var answer = await cdp.SendAsync("Performance.getMetrics");
        return answer!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    }

    private static List<double> Sorted(JsonElement values)
    {
        var list = values.EnumerateArray().Select(v => v.GetDouble()).ToList();
        list.Sort();
        return list;
    }

    /// <summary>Each probe position the page showed, matched to when it was published.</summary>
    private static List<double> Lags(List<(long At, double Lat)> sent, JsonElement seen)
    {
        var lags = new List<double>();
        foreach (var shown in seen.EnumerateArray())
        {
            var lat = shown[1].GetDouble();
            var match = sent.FindLast(s => Math.Abs(s.Lat - lat) < 1e-6);
            if (match.At > 0)
            {
                lags.Add(shown[0].GetInt64() - match.At);
            }
        }

        lags.Sort();
        return lags;
    }

    /// <summary>The simulated fleet: sites of fifty assets, each with a tracker on its own MQTT connection.</summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private static readonly string[] Kinds = ["team", "team", "machine", "dog", "rat"];
        private readonly List<Device> _devices;
        private long _sent;
        private long _skipped;

        private Fleet(List<Device> devices, List<(double Lat, double Lon)> sites)
        {
            _devices = devices;
            Sites = sites;
        }

        public List<(double Lat, double Lon)> Sites { get; }

        public long Sent => Interlocked.Read(ref _sent);

        /// <summary>Turns a device let pass because its previous fix was not yet acknowledged.</summary>
        public long Skipped => Interlocked.Read(ref _skipped);

        public static Fleet Lay(int count, Random random)
        {
            var sites = Enumerable.Range(0, (count + SiteSize - 1) / SiteSize)
                .Select(_ => (Lat: 11.0 + (random.NextDouble() * 3.0), Lon: 103.0 + (random.NextDouble() * 3.8))).ToList();
            var devices = Enumerable.Range(0, count).Select(i =>
            {
                var (lat, lon) = sites[i / SiteSize];
                var id = i == 0 ? "probe" : $"A{i:0000}";
                return new Device(id, $"trk-{id}", Kinds[i % Kinds.Length], $"DU{(i / SiteSize % 6) + 1}",
                    lat + ((random.NextDouble() - 0.5) * 0.01), lon + ((random.NextDouble() - 0.5) * 0.01));
            }).ToList();
            return new Fleet(devices, sites);
        }

        public async Task ProvisionAsync(HttpClient http)
        {
            await Parallel.ForEachAsync(_devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, ct) =>
            {
                (await http.PutAsJsonAsync($"/api/assets/{d.AssetId}", new { kind = d.Kind, name = $"{d.Kind} {d.AssetId}", unit = d.Unit }, ct)).EnsureSuccessStatusCode();
                (await http.PutAsJsonAsync($"/api/devices/{d.DeviceId}", new { assetId = d.AssetId, kind = "tracker", secret = $"secret-{d.DeviceId}" }, ct)).EnsureSuccessStatusCode();
            });

            // A hazard area beside each site (north of it, so no asset enters it), for the areas panel to list.
            foreach (var (site, i) in Sites.Select((site, i) => (site, i)))
            {
                var (south, west) = (site.Lat + 0.02, site.Lon - 0.005);
                double[][] ring = [[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south + 0.01], [west, south]];
                (await http.PutAsJsonAsync($"/api/hazard-areas/BENCH-{i:000}", new
                {
                    type = "Feature",
                    properties = new { type = "CHA", name = $"Bench field {i}", unit = $"DU{(i % 6) + 1}" },
                    geometry = new { type = "Polygon", coordinates = new[] { ring } },
                })).EnsureSuccessStatusCode();
            }
        }

        public async Task ConnectAsync(int port) =>
            await Parallel.ForEachAsync(_devices, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (d, ct) =>
            {
                d.Client = new MqttClientFactory().CreateMqttClient();
                await d.Client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(d.DeviceId)
                    .WithCredentials(d.DeviceId, $"secret-{d.DeviceId}").WithCleanStart().Build(), ct);
            });

        /// <summary>
        /// Every device reports once a second, spread evenly over the second; a device whose last fix is
        /// still unacknowledged skips its turn rather than queueing. The probe steps north a little each time.
        /// </summary>
        public async Task ReportEverySecondAsync(List<(long At, double Lat)> probeSent, CancellationToken cancellationToken)
        {
            var random = new Random(11);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            var clock = Stopwatch.StartNew();
            var interval = 1000.0 / _devices.Count;
            long next = 0; // the n-th fix is due at n × interval ms: a late tick catches up, none is lost
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    for (var now = clock.Elapsed.TotalMilliseconds; next * interval <= now; next++)
                    {
                        var device = _devices[(int)(next % _devices.Count)];
                        if (device.InFlight is { IsCompleted: false })
                        {
                            Interlocked.Increment(ref _skipped);
                            continue;
                        }

                        device.Step(random, device.AssetId == "probe");
                        if (device.AssetId == "probe")
                        {
                            lock (probeSent)
                            {
                                probeSent.Add((DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), device.Lat));
                            }
                        }

                        device.InFlight = PublishAsync(device);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            await Task.WhenAll(_devices.Select(d => d.InFlight ?? Task.CompletedTask));
        }

        private async Task PublishAsync(Device device)
        {
            try
            {
                var result = await Benchmarks.PublishFixAsync(device.Client!, device.DeviceId, device.Lat, device.Lon);
                if (result.IsSuccess)
                {
                    Interlocked.Increment(ref _sent);
                }
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
                Console.Error.WriteLine($"{device.DeviceId}: {ex.Message}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var device in _devices)
            {
                if (device.Client is { IsConnected: true } client)
                {
                    await client.DisconnectAsync();
                }

                device.Client?.Dispose();
            }
        }
    }

    private sealed class Device(string assetId, string deviceId, string kind, string unit, double lat, double lon)
    {
        public string AssetId { get; } = assetId;

        public string DeviceId { get; } = deviceId;

        public string Kind { get; } = kind;

        public string Unit { get; } = unit;

        public double Lat { get; private set; } = lat;

        public double Lon { get; private set; } = lon;

        public IMqttClient? Client { get; set; }

        public Task? InFlight { get; set; }

        /// <summary>A few metres' walk; the probe walks north so each of its positions is new.</summary>
        public void Step(Random random, bool north)
        {
            Lat += north ? 0.00002 : (random.NextDouble() - 0.5) * 0.0001;
            Lon += north ? 0 : (random.NextDouble() - 0.5) * 0.0001;
        }
    }
}
