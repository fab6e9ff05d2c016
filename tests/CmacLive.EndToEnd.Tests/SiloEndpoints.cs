using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Npgsql;

namespace CmacLive.EndToEnd.Tests;

/// <summary>What a client sees of a silo, in this process or in a process of its own: its HTTP and MQTT ports.</summary>
public interface ISiloEndpoint
{
    Uri BaseAddress { get; }

    int MqttPort { get; }

    /// <summary>An HTTP client that sends the admin token.</summary>
    HttpClient Http { get; }
}

public static class SiloEndpoints
{
    public static async Task<T> GetJsonAsync<T>(this ISiloEndpoint silo, string path)
    {
        var response = await silo.Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this ISiloEndpoint silo, string path, object body) =>
        silo.Http.PutAsJsonAsync(path, body);

    /// <summary>Puts a hazard area (a CHA) whose outline is a square of <paramref name="size"/> degrees from its south-west corner.</summary>
    public static async Task PutSquareAreaAsync(this ISiloEndpoint silo, string code, string name, string unit, double west, double south, double size = 0.01)
    {
        double[][] ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]];
        var put = await silo.PutJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(code)}", new
        {
            type = "Feature",
            properties = new { type = "CHA", name, unit },
            geometry = new { type = "Polygon", coordinates = new[] { ring } },
        });
        put.EnsureSuccessStatusCode();
    }

    /// <summary>Creates an asset and a tracker bound to it; answers the device's secret.</summary>
    public static async Task<string> ProvisionAsync(this ISiloEndpoint silo, string assetId, string deviceId, string kind = "team", string unit = "DU5")
    {
        var asset = await silo.PutJsonAsync($"/api/assets/{assetId}", new { kind, name = $"{kind} {assetId}", unit, capabilities = new[] { "eod" } });
        asset.EnsureSuccessStatusCode();
        var secret = "secret-" + deviceId;
        var device = await silo.PutJsonAsync($"/api/devices/{deviceId}", new { assetId, kind = "tracker", secret });
        device.EnsureSuccessStatusCode();
        return secret;
    }

    /// <summary>The status code and body (Healthy, Degraded or Unhealthy) of <c>GET /health</c>, or null while nothing answers.</summary>
    public static async Task<(HttpStatusCode Status, string Body)?> HealthAsync(this ISiloEndpoint silo)
    {
        using var anonymous = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var response = await anonymous.GetAsync("/health");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Ready: 200, whether healthy or degraded.</summary>
    public static Task WaitHealthyAsync(this ISiloEndpoint silo, TimeSpan within) =>
        silo.WaitForHealthAsync(h => h.Status == HttpStatusCode.OK, "200", within);

    /// <summary>Waits for that health report: Healthy, Degraded or Unhealthy.</summary>
    public static Task WaitForHealthAsync(this ISiloEndpoint silo, string report, TimeSpan within) =>
        silo.WaitForHealthAsync(h => h.Body == report, report, within);

    private static async Task WaitForHealthAsync(this ISiloEndpoint silo, Func<(HttpStatusCode Status, string Body), bool> wanted, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var health = await silo.HealthAsync();
            if (health is { } h && wanted(h))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"/health not {what} within {within.TotalSeconds} s: {(health is { } last ? $"{(int)last.Status} {last.Body}" : "no answer")}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the membership table of that database lists <paramref name="count"/> active silos.</summary>
    public static async Task WaitForActiveSilosAsync(string connectionString, int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var active = await ActiveSilosAsync(connectionString);
            if (active == count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{active} silos active in the membership table, not {count}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>How many silos the membership table of that database lists as active.</summary>
    public static async Task<long> ActiveSilosAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE status = 3", connection);
        return (long)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>The folder of CmacLive.sln, above this test's build output.</summary>
    public static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CmacLive.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException($"CmacLive.sln not found above {AppContext.BaseDirectory}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
