using System.Diagnostics;
using System.Net.Sockets;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A real Mosquitto broker (Debian's <c>mosquitto</c>, installed by ./test.sh) on a free loopback port, with
/// a password file and an ACL laid out as in <c>docker/mosquitto/</c>: devices publish only under their own
/// id, the silos read the uplinks (through a shared subscription) and write the downlinks.
/// </summary>
public sealed class TestMosquitto : IAsyncDisposable
{
    public const string SiloUser = "cmaclive-silo";
    public const string SiloPassword = "silo-secret-for-tests";

    private readonly string _folder;
    private readonly Process _process;

    private TestMosquitto(string folder, Process process, int port)
    {
        _folder = folder;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts the broker; <paramref name="devices"/> are the device ids (and passwords) it lets in besides the silo.</summary>
    public static async Task<TestMosquitto> StartAsync(IReadOnlyDictionary<string, string> devices)
    {
        var broker = Executable("mosquitto", "/usr/sbin/mosquitto");
        var passwd = Executable("mosquitto_passwd", "/usr/bin/mosquitto_passwd");
        var folder = Path.Combine(Path.GetTempPath(), "cmaclive-mosquitto-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var passwords = Path.Combine(folder, "passwd");
        await File.WriteAllTextAsync(passwords, "");
        foreach (var (user, password) in devices.Append(new(SiloUser, SiloPassword)))
        {
            await RunAsync(passwd, "-b", passwords, user, password);
        }

        var acl = Path.Combine(folder, "acl");
        File.Copy(Path.Combine(SiloEndpoints.RepositoryRoot(), "docker", "mosquitto", "acl"), acl);
        var port = SiloEndpoints.FreePort();
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(config,
        [
            $"listener {port} 127.0.0.1",
            "allow_anonymous false",
            $"password_file {passwords}",
            $"acl_file {acl}",
            "persistence false",
            "max_queued_messages 100000",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
        ]);
        foreach (var file in new[] { passwords, acl, config })
        {
            // readable by the mosquitto user it drops to when started as root
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }

        var start = new ProcessStartInfo(broker) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var mosquitto = new TestMosquitto(folder, process, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return mosquitto;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await mosquitto.DisposeAsync();
                throw new InvalidOperationException($"mosquitto did not start on port {port}");
            }
        }
    }

    /// <summary>The silo's command-line settings for external mode against this broker.</summary>
    public string[] SiloArguments(string clientId) =>
    [
        "--Mqtt:Mode=External",
        "--Mqtt:Host=127.0.0.1",
        $"--Mqtt:Port={Port}",
        $"--Mqtt:Username={SiloUser}",
        $"--Mqtt:Password={SiloPassword}",
        $"--Mqtt:ClientId={clientId}",
    ];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string Executable(string name, string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{name} is not installed: ./test.sh installs Debian's mosquitto package", path);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error}");
        }
    }
}
