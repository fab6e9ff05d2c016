using CmacLive.Alerts;
using CmacLive.HazardAreas;
using CmacLive.History;
using CmacLive.Reports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Assets;

/// <summary>What every asset grain needs from its silo, in one piece so each kind's grain stays a one-liner.</summary>
public sealed class AssetGrainServices(
    TimeProvider time,
    IOptions<TrackingOptions> options,
    IOptions<AlertOptions> alerts,
    IOptions<ReportOptions> reports,
    ReportDays days,
    HazardAreaCatalog areas,
    IHistoryStore history,
    CmacLive.Audit.IAuditLog audit,
    Live.LiveFeed feed,
    ILoggerFactory loggers)
{
    public IHistoryStore History { get; } = history;

    /// <summary>Where a device's decisions (finds, clutter) are recorded, as people's changes are.</summary>
    public CmacLive.Audit.IAuditLog Audit { get; } = audit;

    public TimeProvider Time { get; } = time;

    /// <summary>This silo's live feed to the dashboards, in-process.</summary>
    public Live.LiveFeed Feed { get; } = feed;

    public TrackingOptions Options { get; } = options.Value;

    public HazardAreaCatalog Areas { get; } = areas;

    public AlertRules AlertRules { get; } = alerts.Value.ToRules();

    public ReportOptions Reports { get; } = reports.Value;

    public ReportDays Days { get; } = days;

    public ILogger Logger { get; } = loggers.CreateLogger("CmacLive.Assets");
}
