using System.Diagnostics;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The built silo (<c>silo/CmacLive.Silo</c>) run as a process of its own on loopback ports, as in
/// production: it can be stopped gracefully (SIGTERM) or killed outright (SIGKILL). Its console output
/// is kept (the last lines) to explain a failure.
/// </summary>
public sealed partial class SiloProcess : ISiloEndpoint, IAsyncDisposable
{
    private const int KeptLines = 200;
    private const int SigTerm = 15;

    private readonly ProcessStartInfo _start;
    private readonly Queue<string> _output = new();
    private readonly Lock _outputLock = new();
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> _watches = [];

    private Process _process;

    private SiloProcess(ProcessStartInfo start, int httpPort, int mqttPort, int siloPort, string name)
    {
        _start = start;
        _process = new Process { StartInfo = start };
        Name = name;
        SiloPort = siloPort;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        MqttPort = mqttPort;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSilo.Token);
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int MqttPort { get; }

    /// <summary>The Orleans silo-to-silo port (<c>Cluster:SiloPort</c>): with 127.0.0.1, the silo's row in the membership table.</summary>
    public int SiloPort { get; }

    /// <summary>How many times the process was started: 1, and one more for each <see cref="RestartAsync"/>.</summary>
    public int Starts { get; private set; } = 1;

    public HttpClient Http { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the silo wrote, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>A silo of a cluster on PostgreSQL (state, membership, reminders and history in that database).</summary>
    public static Task<SiloProcess> StartOnPostgresAsync(string name, string connectionString, params string[] extra) =>
        StartAsync(name, [.. OnPostgres(connectionString), .. extra]);

    /// <summary>The settings of a silo whose state, membership, reminders and history are in that PostgreSQL database.</summary>
    public static string[] OnPostgres(string connectionString) =>
    [
        "--Storage:Provider=Postgres",
        $"--Storage:ConnectionString={connectionString}",
        "--Cluster:Provider=Postgres",
        "--Cluster:AdvertisedAddress=127.0.0.1",
    ];

    /// <summary>Starts the silo and waits until its <c>/health</c> answers 200.</summary>
    public static Task<SiloProcess> StartAsync(string name, string[] extra, int? mqttPort = null, IReadOnlyDictionary<string, string>? environment = null) =>
        HealthyAsync(Launch(name, extra, mqttPort, environment));

    /// <summary>Waits until the launched silo's <c>/health</c> answers 200; stops it, saying what it wrote, if it does not within a minute.</summary>
    private static async Task<SiloProcess> HealthyAsync(SiloProcess silo)
    {
        try
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException ex)
        {
            await silo.DisposeAsync();
            throw new TimeoutException($"{ex.Message}\n--- silo {silo.Name} ---\n{silo.Output}", ex);
        }

        return silo;
    }

    /// <summary>Starts the silo process and returns at once, for a test that watches a silo which should not become ready.</summary>
    public static SiloProcess Launch(string name, string[] extra, int? mqttPort = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var httpPort = SiloEndpoints.FreePort();
        var mqtt = mqttPort ?? SiloEndpoints.FreePort();
        var siloPort = SiloEndpoints.FreePort();
        return Launch(name, httpPort, mqtt, siloPort,
        [
            "--urls", $"http://127.0.0.1:{httpPort}",
            $"--Mqtt:Port={mqtt}",
            "--Mqtt:BindAddress=127.0.0.1",
            "--Osmand:Port=0",
            $"--Cluster:SiloPort={siloPort}",
            $"--Auth:AdminToken={TestSilo.Token}",
            "--Logging:Console:FormatterName=simple",
            "--Logging:Console:FormatterOptions:SingleLine=true",
            .. extra,
        ], environment ?? new Dictionary<string, string>());
    }

    /// <summary>
    /// Starts the silo as a container runs it: <c>dotnet CmacLive.Silo.dll</c> with no arguments, every setting in
    /// <paramref name="environment"/> (which must bind HTTP to <paramref name="httpPort"/>); waits until <c>/health</c> answers 200.
    /// </summary>
    public static Task<SiloProcess> StartFromEnvironmentAsync(string name, IReadOnlyDictionary<string, string> environment, int httpPort, int mqttPort, int siloPort) =>
        HealthyAsync(Launch(name, httpPort, mqttPort, siloPort, [], environment));

    /// <summary>The silo's own assembly run with <c>dotnet</c>, in its build folder (as in the image's <c>/app</c>).</summary>
    public static ProcessStartInfo Dotnet(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var dll = SiloAssembly();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static SiloProcess Launch(string name, int httpPort, int mqttPort, int siloPort, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var silo = new SiloProcess(Dotnet(args, environment), httpPort, mqttPort, siloPort, name);
        silo.Begin();
        return silo;
    }

    /// <summary>
    /// Starts the silo again after it exited (killed or stopped), on the same HTTP, MQTT and silo ports and with the same
    /// settings, as a service manager restarts a crashed silo; waits until its <c>/health</c> answers 200.
    /// </summary>
    public async Task RestartAsync(TimeSpan within)
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException($"silo {Name} is still running");
        }

        _process.Dispose();
        _process = new Process { StartInfo = _start };
        Starts++;
        Keep($"--- silo {Name} started again (start {Starts}) ---");
        Begin();
        try
        {
            await this.WaitHealthyAsync(within);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n--- silo {Name} (start {Starts}) ---\n{Output}", ex);
        }
    }

    private void Begin()
    {
        var process = _process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Waits until the silo writes a line containing <paramref name="text"/> (or has written one already).</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan within)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_outputLock)
        {
            if (_output.FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            _watches.Add((text, seen));
        }

        try
        {
            return await seen.Task.WaitAsync(within);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"silo {Name} wrote no line with '{text}' within {within.TotalSeconds} s\n{Output}", ex);
        }
        finally
        {
            lock (_outputLock)
            {
                _watches.Remove((text, seen));
            }
        }
    }

    /// <summary>SIGKILL: the process dies at once, with no chance to flush, acknowledge or leave the cluster.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops a silo: it leaves the cluster and drains before exiting.</summary>
    public async Task StopAsync(TimeSpan within)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"silo {Name} did not stop within {within.TotalSeconds} s after SIGTERM\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                // killed instead; nothing more to do in a cleanup
            }
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            foreach (var (text, seen) in _watches)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    seen.TrySetResult(line);
                }
            }

            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>
    /// The silo's own build output beside this test project's (same configuration), so the process runs
    /// with the silo's own dependency and runtime files.
    /// </summary>
    private static string SiloAssembly()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var dll = Path.Combine(SiloEndpoints.RepositoryRoot(), "silo", "CmacLive.Silo", "bin", configuration, framework, "CmacLive.Silo.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("the silo is not built", dll);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
