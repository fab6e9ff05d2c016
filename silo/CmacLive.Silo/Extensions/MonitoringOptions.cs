namespace CmacLive.Silo.Extensions;

/// <summary>The <c>Monitoring</c> section: the metrics scrape, the Orleans Dashboard and the open-alerts gauge.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Serve Prometheus text at <c>GET /metrics</c> (policy <c>read</c>).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Serve the Orleans Dashboard at <c>/orleans</c> to admins (off by default: it shows grain state and live logs).</summary>
    public bool OrleansDashboard { get; set; }

    /// <summary>How often each silo reads the count of open alerts from the ledger for <c>cmaclive_alerts_open</c>.</summary>
    public TimeSpan AlertsRefresh { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The share of uplinks traced when traces are exported (OTLP): 1 traces every one, 0.01 one in a hundred.</summary>
    public double TraceSampleRatio { get; set; } = 1;
}
