using System.Net.Http.Headers;
using CmacLive.Ingestion;
using CmacLive.Ingestion.Phones;
using CmacLive.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A real silo host (Orleans, MQTT broker, Kestrel) on loopback ports, with its SQLite file in a folder
/// of its own. Stopping and starting it again over the same folder is a restart.
/// </summary>
public sealed class TestSilo : ISiloEndpoint, IAsyncDisposable
{
    public const string Token = "e2e-admin-token-0123456789";

    private readonly WebApplication _app;

    private TestSilo(WebApplication app, string dataFolder)
    {
        _app = app;
        DataFolder = dataFolder;
        // The REST address, not the phones' port (a test may turn that on).
        var phones = app.Services.GetRequiredService<IOptions<OsmandOptions>>().Value;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First(a => !phones.Enabled || !a.EndsWith($":{phones.Port}", StringComparison.Ordinal));
        BaseAddress = new Uri(address);
        MqttPort = app.Services.GetRequiredService<MqttBroker>().Port;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public string DataFolder { get; }

    public Uri BaseAddress { get; }

    public int MqttPort { get; }

    /// <summary>An HTTP client that sends the admin token.</summary>
    public HttpClient Http { get; }

    public static string NewDataFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cmaclive-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The silo's services (its endpoints, its clocks), for tests that look inside.</summary>
    public IServiceProvider Services => _app.Services;

    public static Task<TestSilo> StartAsync(string? dataFolder = null, params string[] extra) => StartAsync(null, dataFolder, extra);

    /// <summary>A silo whose services the test may add to first (a clock of its own, say).</summary>
    public static async Task<TestSilo> StartAsync(Action<WebApplicationBuilder>? configure, string? dataFolder, params string[] extra)
    {
        dataFolder ??= NewDataFolder();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Mqtt:Port=0",
            "--Mqtt:BindAddress=127.0.0.1",
            // The phones' port is off unless a test turns it on (on a free port): test silos run side by side.
            "--Osmand:Port=0",
            // Every test connects from loopback, as devices behind one carrier NAT: tests of the address back-off set their own.
            "--Mqtt:ConnectFailureLimitPerAddress=1000",
            // Tests replay hours of a field day in seconds; the rate limit has tests of its own (MqttLimitsTests).
            "--Mqtt:MaxMessagesPerSecondPerDevice=100000",
            "--Mqtt:MessageBurstPerDevice=100000",
            $"--Storage:ConnectionString=Data Source={Path.Combine(dataFolder, "cmaclive.db")}",
            $"--Cluster:SiloPort={SiloEndpoints.FreePort()}",
            $"--Auth:AdminToken={Token}",
            .. extra,
        ];
        var app = SiloHost.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var silo = new TestSilo(app, dataFolder);
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(30));
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
