using CmacLive.Alerts;
using CmacLive.Assets;

namespace CmacLive.Tracking;

/// <summary>
/// The small, bounded state of one tracked asset: profile and the newest of everything, never history.
/// Persisted as grain state; members are numbered for good and never renumbered.
/// </summary>
[GenerateSerializer, Alias("cmac.AssetTrackState")]
public sealed class AssetTrackState
{
    [Id(0)] public AssetProfile? Profile { get; set; }
    [Id(1)] public Position? Position { get; set; }
    [Id(2)] public AssetState State { get; set; }
    [Id(3)] public DateTimeOffset? StateTs { get; set; }
    [Id(4)] public int? Battery { get; set; }
    [Id(5)] public DateTimeOffset? LastSeen { get; set; }
    [Id(6)] public DateTimeOffset? LastHeardAt { get; set; }
    [Id(7)] public bool Online { get; set; }
    [Id(8)] public string? HazardArea { get; set; }

    /// <summary>The hazard area the asset is assigned to work in, or null.</summary>
    [Id(9)] public string? TaskArea { get; set; }

    /// <summary>Counts the asset's working periods: fixes of one period may be joined into a searched path.</summary>
    [Id(10)] public int WorkRun { get; set; }

    [Id(11)] public AssetAlertState Alerts { get; set; } = new();

    /// <summary>Device time up to which working time has been credited to the unit's daily figures, while working.</summary>
    [Id(12)] public DateTimeOffset? WorkCountedUntil { get; set; }

    /// <summary>The dispatch request the team is sent to, and its site.</summary>
    [Id(13)] public Dispatch.DispatchTask? Dispatch { get; set; }

    /// <summary>The devices that reported for the asset lately, newest first (at most four): where downlinks go.</summary>
    [Id(14)] public List<string> Devices { get; set; } = [];

    /// <summary>
    /// Working seconds credited per day (the last week of days): the asset says a day's whole total each time, so saying
    /// it again after a crash never counts twice.
    /// </summary>
    [Id(15)] public Dictionary<DateOnly, double> WorkCredited { get; set; } = [];

    /// <summary>The working period that ended last (in this task): a fix of it that arrives after its end still counts as work.</summary>
    [Id(16)] public WorkPeriod? LastWorkPeriod { get; set; }

    /// <summary>The hazard area the asset counts as inside for its movements (after the dwell), and the crossing under way.</summary>
    [Id(17)] public AreaPresence Presence { get; set; } = new();
}
