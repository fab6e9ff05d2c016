using CmacLive.Ingestion;
using CmacLive.Ingestion.Phones;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CmacLive.Silo.Extensions;

/// <summary>
/// The last lines a person starting the silo needs: once every health check is healthy (or after
/// <see cref="LongestWait"/>, saying what is not), where the dashboard and REST answer, the MQTT port(s), where the admin
/// token and the first administrator's password are kept, the phones' port, and that the silo is ready.
/// </summary>
public sealed class ReadyBanner(
    IHostApplicationLifetime lifetime,
    IServer server,
    HealthCheckService health,
    IOptions<MqttOptions> mqtt,
    IOptions<OsmandOptions> phones,
    IServiceProvider services,
    ReadyBanner.Settings settings) : BackgroundService
{
    /// <summary>How long the banner waits for every check to be healthy before it says what is not.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);

    /// <summary>Where the admin token is kept (null: configured as <c>Auth:AdminToken</c>), and the data folder.</summary>
    public sealed record Settings(string? TokenPath, string DataFolder);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var deadline = DateTime.UtcNow + LongestWait;
        HealthReport report;
        while ((report = await health.CheckHealthAsync(stoppingToken)).Status != HealthStatus.Healthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken);
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var phonesPort = phones.Value.Enabled ? $":{phones.Value.Port}" : null;
        var web = addresses.FirstOrDefault(a => phonesPort is null || !a.EndsWith(phonesPort, StringComparison.Ordinal)) ?? "(no HTTP address)";
        var lines = new List<string>
        {
            report.Status == HealthStatus.Healthy
                ? "CmacLive is ready."
                : $"CmacLive is up but not healthy after {LongestWait.TotalSeconds:0} s: "
                    + string.Join("; ", report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key} {e.Value.Status}: {e.Value.Description}")),
            $"  Dashboard and REST: {web.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)}/",
            $"  Health:             {web}/health",
            $"  MQTT:               {Mqtt(mqtt.Value, services.GetService<MqttBroker>())}",
            $"  Phones:             {(phones.Value.Enabled ? $"port {phones.Value.Port} (OsmAnd for Traccar Client, OwnTracks over HTTP)" : "off (Osmand:Port)")}",
            $"  Admin token:        {(settings.TokenPath is { } path ? $"in {path}" : "as configured (Auth:AdminToken)")}",
            $"  First sign-in:      user '{Api.Auth.FirstAdmin.Username}', password in {Path.Combine(settings.DataFolder, Api.Auth.FirstAdmin.FileName)}",
        };
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    /// <summary>The ports the embedded broker listens on (as bound: a configured 0 is a free port), or the external broker.</summary>
    private static string Mqtt(MqttOptions options, MqttBroker? broker)
    {
        if (options.Mode == MqttMode.External)
        {
            return $"the external broker at {options.Host}:{(options.Tls.Enabled ? options.Tls.Port : options.Port)}";
        }

        var ports = new List<string>();
        if (broker?.PlainPort is { } plain)
        {
            ports.Add($"port {plain}");
        }

        if (broker?.TlsPort is { } tls)
        {
            ports.Add($"TLS port {tls}");
        }

        return ports.Count > 0 ? string.Join(", ", ports) + " (embedded broker)" : "no port (embedded broker, not listening)";
    }
}
