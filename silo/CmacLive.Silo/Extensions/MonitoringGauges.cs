using System.Diagnostics.Metrics;
using CmacLive.Alerts;
using CmacLive.Api.Hubs;
using Microsoft.Extensions.Options;

namespace CmacLive.Silo.Extensions;

/// <summary>
/// The gauges read at a scrape from what the silo already holds: <c>cmaclive.hub.connections</c> (this silo's dashboards) and
/// <c>cmaclive.alerts.open</c> by severity, the cluster's count, read from the alert ledger every
/// <see cref="MonitoringOptions.AlertsRefresh"/> by this loop, never by the scrape.
/// </summary>
public sealed partial class MonitoringGauges : BackgroundService
{
    public const string AlertsMeterName = "CmacLive.Alerts";

    private static readonly TimeSpan LedgerTimeout = TimeSpan.FromSeconds(5);

    private readonly IGrainFactory _grains;
    private readonly MonitoringOptions _options;
    private readonly ILogger<MonitoringGauges> _logger;
    private IReadOnlyDictionary<AlertSeverity, int>? _openAlerts;
    private bool _failing;

    public MonitoringGauges(IMeterFactory meters, OpsHubConnections hub, IGrainFactory grains, IOptions<MonitoringOptions> options, ILogger<MonitoringGauges> logger)
    {
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        meters.Create(OpsHubLifetimeManager.MeterName).CreateObservableGauge("cmaclive.hub.connections", () => hub.Single + hub.Batched,
            "{connection}", "Dashboards connected to this silo's hub");
        meters.Create(AlertsMeterName).CreateObservableGauge("cmaclive.alerts.open", ObserveOpenAlerts,
            "{alert}", "Open alerts in the cluster, by severity (every silo reports the same count: take the max)");
    }

    private IEnumerable<Measurement<int>> ObserveOpenAlerts() =>
        Volatile.Read(ref _openAlerts) is { } counts
            ? counts.Select(c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("severity", WireNames.Of(c.Key))))
            : [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.AlertsRefresh);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private async Task RefreshAsync(CancellationToken stoppingToken)
    {
        try
        {
            Volatile.Write(ref _openAlerts, await _grains.GetGrain<IAlertLedgerGrain>(0).CountOpen().WaitAsync(LedgerTimeout, stoppingToken));
            _failing = false;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            if (!_failing)
            {
                LogRefreshFailed(ex); // once per outage; the gauge keeps the last count read
            }

            _failing = true;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The open alerts could not be counted for the metrics; the last count stands")]
    private partial void LogRefreshFailed(Exception ex);
}
