using System.Net.Http.Headers;
using System.Net.Sockets;
using CmacLive.Ingestion;
using CmacLive.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Benchmarks;

/// <summary>
/// One silo on its embedded defaults (SQLite in a throwaway folder, the embedded broker), listening on
/// loopback only, with an admin token and an HTTP client signed in with it.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    public const string Token = "benchmark-admin-token-0123456789";

    private readonly WebApplication _app;
    private readonly string _folder;

    private BenchSilo(WebApplication app, string folder, Uri address, int mqttPort)
    {
        _app = app;
        _folder = folder;
        Address = address;
        MqttPort = mqttPort;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri Address { get; }

    public int MqttPort { get; }

    /// <summary>The MQTT over TLS port, when the silo was started with <c>Mqtt:Tls:*</c>.</summary>
    public int? MqttTlsPort { get; private init; }

    public HttpClient Http { get; }

    /// <summary>Starts the silo; <paramref name="map"/> may add endpoints of the benchmark's own before it listens.</summary>
    public static async Task<BenchSilo> StartAsync(string name, Action<WebApplication>? map = null, params string[] settings)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cmaclive-{name}-bench-{Guid.NewGuid().ToString("N")[..8]}");
        var app = SiloHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Mqtt:Port=0", "--Mqtt:BindAddress=127.0.0.1", "--Osmand:Port=0",
            $"--Storage:ConnectionString=Data Source={Path.Combine(folder, "cmaclive.db")}",
            $"--Cluster:SiloPort={FreePort()}", $"--Auth:AdminToken={Token}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks=None",
            .. settings,
        ]);
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var broker = app.Services.GetRequiredService<MqttBroker>();
        var silo = new BenchSilo(app, folder, new Uri(address), broker.Port) { MqttTlsPort = broker.TlsPort };
        await silo.WaitHealthyAsync();
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task WaitHealthyAsync()
    {
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if ((await Http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("the silo did not become healthy");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
