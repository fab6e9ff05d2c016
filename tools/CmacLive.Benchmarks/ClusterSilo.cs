using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace CmacLive.Benchmarks;

/// <summary>
/// A silo run as a process of its own (the built <c>silo/CmacLive.Silo</c> of this configuration): of a cluster on
/// PostgreSQL, or alone on the embedded defaults (SQLite in a folder of its own). Its loopback ports stay the same when
/// it is killed (SIGKILL) and started again, as a service manager restarts a crashed silo. Every line it writes can be
/// watched and counted.
/// </summary>
public sealed class ClusterSilo : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly Lock _lock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<DateTimeOffset> Seen)> _watches = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Queue<string> _tail = new();
    private readonly string[] _counted;
    private Process _process;

    private ClusterSilo(string name, string[] settings, int httpPort, int mqttPort, int siloPort, string token, string[] counted)
    {
        Name = name;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        SiloPort = siloPort;
        _counted = counted;
        var dll = SiloAssembly();
        _start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            dll,
            "--urls", $"http://127.0.0.1:{httpPort}",
            $"--Mqtt:Port={mqttPort}", "--Mqtt:BindAddress=127.0.0.1", "--Osmand:Port=0",
            .. settings,
            "--Cluster:AdvertisedAddress=127.0.0.1", $"--Cluster:SiloPort={siloPort}",
            $"--Auth:AdminToken={token}",
            "--Logging:Console:FormatterName=simple", "--Logging:Console:FormatterOptions:SingleLine=true",
            "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
        ];
        foreach (var arg in args)
        {
            _start.ArgumentList.Add(arg);
        }

        _start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _process = new Process { StartInfo = _start };
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int MqttPort { get; }

    /// <summary>With 127.0.0.1, the silo's rows in the membership table (one per generation).</summary>
    public int SiloPort { get; }

    public Uri BaseAddress => Http.BaseAddress!;

    public HttpClient Http { get; }

    public int Starts { get; private set; }

    /// <summary>The process id of the silo as it runs now.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last lines written, for a failure message.</summary>
    public string Tail
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>Starts a silo and waits until its <c>/health</c> answers 200; lines containing one of <paramref name="counted"/> are counted.</summary>
    public static Task<ClusterSilo> StartAsync(string name, string database, string token, params string[] counted) =>
        StartWithAsync(name, ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={database}", "--Cluster:Provider=Postgres"], token, counted);

    /// <summary>
    /// Starts a silo with <paramref name="settings"/> for its storage and cluster, and any others (<c>--Key=value</c>);
    /// none: alone on the embedded defaults, in the folder the silo picks.
    /// </summary>
    public static async Task<ClusterSilo> StartWithAsync(string name, string[] settings, string token, params string[] counted)
    {
        var silo = new ClusterSilo(name, settings, FreePort(), FreePort(), FreePort(), token, counted);
        await silo.BeginAsync();
        return silo;
    }

    /// <summary>How many lines so far contained <paramref name="text"/> (one of those given at start).</summary>
    public int Count(string text)
    {
        lock (_lock)
        {
            return _counts.GetValueOrDefault(text);
        }
    }

    /// <summary>When the first line from now on that matches is written.</summary>
    public Task<DateTimeOffset> NextLineAsync(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _watches.Add((match, seen));
        }

        return seen.Task;
    }

    /// <summary>SIGKILL: no chance to flush, acknowledge or leave the cluster.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Starts the silo again on the same ports after it exited; waits until it is healthy.</summary>
    public async Task RestartAsync()
    {
        _process.Dispose();
        _process = new Process { StartInfo = _start };
        await BeginAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            // SIGTERM, as a service manager stops it: it leaves the cluster cleanly.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        _process.Dispose();
    }

    private async Task BeginAsync()
    {
        Starts++;
        var process = _process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"silo {Name} exited with {process.ExitCode} at start\n{Tail}");
            }

            try
            {
                using var health = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
                if ((await health.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"silo {Name} was not healthy within 120 s\n{Tail}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        var at = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            foreach (var text in _counted)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    _counts[text] = _counts.GetValueOrDefault(text) + 1;
                }
            }

            foreach (var watch in _watches.Where(w => w.Match(line)).ToList())
            {
                watch.Seen.TrySetResult(at);
                _watches.Remove(watch);
            }

            _tail.Enqueue(line);
            if (_tail.Count > 60)
            {
                _tail.Dequeue();
            }
        }
    }

    /// <summary>The silo's own build output of this configuration, so the process runs with its own dependency and runtime files.</summary>
    private static string SiloAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CmacLive.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("CmacLive.sln not found"), "silo", "CmacLive.Silo", "bin", configuration, framework, "CmacLive.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("the silo is not built", dll);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
