using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using CmacLive.Ingestion;
using CmacLive.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A real silo host (Orleans, MQTT broker, Kestrel) on loopback ports, with its SQLite file in a folder
/// of its own. Stopping and starting it again over the same folder is a restart.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    public const string Token = "e2e-admin-token-0123456789";

    private readonly WebApplication _app;

    private TestSilo(WebApplication app, string dataFolder)
    {
        _app = app;
        DataFolder = dataFolder;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
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

    /// <summary>A silo of a cluster on PostgreSQL: state, membership and reminders in that database.</summary>
    public static Task<TestSilo> StartOnPostgresAsync(string connectionString) => StartAsync(null,
        "--Storage:Provider=Postgres",
        $"--Storage:ConnectionString={connectionString}",
        "--Cluster:Provider=Postgres",
        "--Cluster:AdvertisedAddress=127.0.0.1");

    public static async Task<TestSilo> StartAsync(string? dataFolder = null, params string[] extra)
    {
        dataFolder ??= NewDataFolder();
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--Mqtt:Port=0",
            "--Mqtt:BindAddress=127.0.0.1",
            $"--Storage:ConnectionString=Data Source={Path.Combine(dataFolder, "cmaclive.db")}",
            $"--Cluster:SiloPort={FreePort()}",
            $"--Cluster:GatewayPort={FreePort()}",
            $"--Auth:AdminToken={Token}",
            .. extra,
        ];
        var app = SiloHost.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await app.StartAsync();
        var silo = new TestSilo(app, dataFolder);
        await silo.WaitHealthyAsync();
        return silo;
    }

    public async Task<T> GetJsonAsync<T>(string path)
    {
        var response = await Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public async Task<HttpResponseMessage> PutJsonAsync(string path, object body) =>
        await Http.PutAsJsonAsync(path, body);

    /// <summary>Creates an asset and a tracker bound to it; answers the device's secret.</summary>
    public async Task<string> ProvisionAsync(string assetId, string deviceId, string kind = "team", string unit = "DU5")
    {
        var asset = await PutJsonAsync($"/api/assets/{assetId}", new { kind, name = $"{kind} {assetId}", unit, capabilities = new[] { "eod" } });
        asset.EnsureSuccessStatusCode();
        var secret = "secret-" + deviceId;
        var device = await PutJsonAsync($"/api/devices/{deviceId}", new { assetId, kind = "tracker", secret });
        device.EnsureSuccessStatusCode();
        return secret;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task WaitHealthyAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await anonymous.GetAsync("/health");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"silo not healthy: {(int)response.StatusCode}");
            }

            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
