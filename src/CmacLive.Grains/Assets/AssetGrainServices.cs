using System.Diagnostics.Metrics;
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
    IOptions<ClearanceOptions> clearance,
    IMeterFactory meters,
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

    /// <summary>Where the grain and each of its parts take a logger of their own type, so each logs under its own category.</summary>
    public ILoggerFactory Loggers { get; } = loggers;

    /// <summary>How many work points may wait for an asset's area (<c>Clearance:MaxQueuedWorkPoints</c>).</summary>
    public int MaxQueuedWorkPoints { get; } = clearance.Value.MaxQueuedWorkPoints;

    /// <summary>
    /// Work points an area had to replay from history instead of taking them from the asset's queue, by reason: the queue
    /// overflowed (<c>overflow</c>), or a call to the area failed (<c>failed</c>). Meter <c>CmacLive.Grains</c>.
    /// </summary>
    public Counter<long> WorkReplayed { get; } = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.area.work_replayed", description: "Asset work points an area replayed from history instead of the asset's queue, by reason");

    /// <summary>Movements recorded (an asset entered or left a hazard area), by kind. Meter <c>CmacLive.Grains</c>.</summary>
    public Counter<long> Movements { get; } = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.asset.movements", description: "Assets entering or leaving a hazard area (after the dwell), by kind");

    public const string MeterName = "CmacLive.Grains";
}
