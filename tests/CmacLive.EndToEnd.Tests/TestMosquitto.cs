using CmacLive.Testing;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A real Mosquitto broker (Debian's <c>mosquitto</c>, installed by ./test.sh) on a free loopback port. Either with a
/// password file and an ACL laid out as in <c>docker/mosquitto/</c>, kept by hand (devices publish only under their
/// own id, the silos read the uplinks through a shared subscription and write the downlinks); or with the
/// dynamic-security plugin, set up as <c>docker/mosquitto/</c> does at first start (<c>mosquitto_ctrl dynsec init</c>
/// makes the silos' login its admin), where the silo itself keeps the devices' logins.
/// </summary>
public sealed class TestMosquitto : IAsyncDisposable
{
    public const string SiloUser = "cmaclive-silo";
    public const string SiloPassword = "silo-secret-for-tests";
    private const string DynamicSecurityPlugin = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";
    private const string LoginsFile = "dynamic-security.json";
    private const UnixFileMode Shared = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _folder;
    private readonly string _config;
    private readonly bool _dynamicSecurity;
    private Process? _process;

    private TestMosquitto(string folder, string config, int port, bool dynamicSecurity)
    {
        _folder = folder;
        _config = config;
        Port = port;
        _dynamicSecurity = dynamicSecurity;
    }

    public int Port { get; }

    /// <summary>The MQTT over TLS listener's port, when started with certificates; the silo then reaches the broker only there.</summary>
    public int? TlsPort { get; private init; }

    /// <summary>The authority that signed the TLS listener's certificate, for <c>Mqtt:Tls:Authority</c>.</summary>
    public string? TlsAuthority { get; private init; }

    /// <summary>Starts the broker with a password file; <paramref name="devices"/> are the device ids (and passwords) it lets in besides the silo.</summary>
    public static async Task<TestMosquitto> StartAsync(IReadOnlyDictionary<string, string> devices)
    {
        var passwd = Executable("mosquitto_passwd", "/usr/bin/mosquitto_passwd");
        var folder = NewFolder();
        var passwords = Path.Combine(folder, "passwd");
        await File.WriteAllTextAsync(passwords, "");
        foreach (var (user, password) in devices.Append(new(SiloUser, SiloPassword)))
        {
            await RunAsync(passwd, "-b", passwords, user, password);
        }

        var acl = Path.Combine(folder, "acl");
        File.Copy(Path.Combine(SiloEndpoints.RepositoryRoot(), "docker", "mosquitto", "acl"), acl);
        return await StartAsync(folder, dynamicSecurity: false, [$"password_file {passwords}", $"acl_file {acl}"], passwords, acl);
    }

    /// <summary>
    /// Starts the broker with the dynamic-security plugin and a configuration made as at a first start: only the silos'
    /// login, the plugin's admin. The silo creates the devices' logins (and its own role) through the plugin.
    /// </summary>
    public static async Task<TestMosquitto> StartWithDynamicSecurityAsync(TestCertificates? tls = null)
    {
        var ctrl = Executable("mosquitto_ctrl", "/usr/bin/mosquitto_ctrl");
        Executable("the dynamic-security plugin", DynamicSecurityPlugin);
        var folder = NewFolder();
        var logins = Path.Combine(folder, LoginsFile);
        await RunAsync(ctrl, "dynsec", "init", logins, SiloUser, SiloPassword);
        if (!OperatingSystem.IsWindows())
        {
            // The plugin saves every change to its file (Debian's in place, upstream's beside it and renamed), as the
            // mosquitto user it drops to when started as root: a throwaway folder and file anyone may write.
            const UnixFileMode Everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
            File.SetUnixFileMode(folder, Everyone | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(logins, Everyone);
        }

        string[] security = [$"plugin {DynamicSecurityPlugin}", $"plugin_opt_config_file {logins}"];
        if (tls is null)
        {
            return await StartAsync(folder, dynamicSecurity: true, security);
        }

        // A second listener, MQTT over TLS, with a certificate of the run's own authority.
        var server = tls.Issue("mosquitto");
        var tlsPort = SiloEndpoints.FreePort();
        var broker = await StartAsync(folder, dynamicSecurity: true,
            [.. security, $"listener {tlsPort} 127.0.0.1", $"certfile {server.CertificatePath}", $"keyfile {server.KeyPath}"]);
        return new TestMosquitto(broker) { TlsPort = tlsPort, TlsAuthority = tls.AuthorityPath };
    }

    /// <summary>The same running broker, described once more (its TLS listener added).</summary>
    private TestMosquitto(TestMosquitto started)
        : this(started._folder, started._config, started.Port, started._dynamicSecurity) => _process = started._process;

    /// <summary>SIGKILL: the broker is gone at once, its port closed.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts it again on the same port with the same configuration (the dynamic-security plugin's logins kept in its file).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    /// <summary>
    /// Sends one command to the dynamic-security plugin with the silos' login, as an operator would, without waiting for
    /// its answer: a change to that login closes its sessions, this one's too.
    /// </summary>
    public async Task SendAsSiloAsync(object command)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Port)
            .WithClientId($"test-operator-{Guid.NewGuid():N}")
            .WithCredentials(SiloUser, SiloPassword)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("$CONTROL/dynamic-security/v1")
            .WithPayload(JsonSerializer.Serialize(new { commands = new[] { command } }))
            .Build()); // QoS 0: nothing to wait for
        await Task.Delay(200);
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }
    }

    /// <summary>Waits up to 5 s until the plugin's file gives the login just these roles.</summary>
    public async Task WaitForRolesAsync(string username, string[] roles)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        string[] seen = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, LoginsFile)));
                seen = [.. file.RootElement.GetProperty("clients").EnumerateArray()
                    .Single(c => c.GetProperty("username").GetString() == username)
                    .GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("rolename").GetString()!).Order()];
                if (seen.SequenceEqual(roles.Order()))
                {
                    return;
                }
            }
            catch (JsonException)
            {
                // caught while the plugin writes it
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{username} has the roles [{string.Join(", ", seen)}], not [{string.Join(", ", roles)}]");
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
        $"--Mqtt:DynamicSecurity={_dynamicSecurity}",
        .. TlsPort is { } tlsPort
            ? new[] { "--Mqtt:Tls:Enabled=true", $"--Mqtt:Tls:Port={tlsPort}", $"--Mqtt:Tls:Authority={TlsAuthority}" }
            : [],
    ];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cmaclive-mosquitto-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task<TestMosquitto> StartAsync(string folder, bool dynamicSecurity, string[] security, params string[] files)
    {
        var port = SiloEndpoints.FreePort();
        var config = Path.Combine(folder, "mosquitto.conf");
        await File.WriteAllLinesAsync(config,
        [
            $"listener {port} 127.0.0.1",
            "allow_anonymous false",
            .. security,
            "persistence false",
            "max_queued_messages 100000",
            "log_dest stdout",
            "log_type error",
            "log_type warning",
        ]);
        foreach (var file in files.Append(config))
        {
            // readable by the mosquitto user it drops to when started as root
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, Shared);
            }
        }

        var mosquitto = new TestMosquitto(folder, config, port, dynamicSecurity);
        try
        {
            await mosquitto.LaunchAsync();
            return mosquitto;
        }
        catch
        {
            await mosquitto.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process and waits until its port takes connections.</summary>
    private async Task LaunchAsync()
    {
        var start = new ProcessStartInfo(Executable("mosquitto", "/usr/sbin/mosquitto"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(_config);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException($"mosquitto did not start on port {Port}");
            }
        }
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
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await output;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error}");
        }
    }
}
