using CmacLive.Clearance;

namespace CmacLive;

/// <summary>Clearance progress settings, bound from the <c>Clearance</c> configuration section.</summary>
public sealed class ClearanceOptions
{
    public const string Section = "Clearance";

    // The rules' own defaults are the settings' defaults: said once, in the domain.
    private static readonly ClearanceRules Defaults = new();

    /// <summary>Width of ground one pass searches, in metres, per asset kind: a manual lane, a machine's flail, an animal's search lane.</summary>
    public PerKind<double> WidthM { get; set; } = new() { Team = 1, Machine = 2, Dog = 1, Rat = 1 };

    /// <summary>Fixes further apart in time are not joined into a searched path.</summary>
    public TimeSpan MaxGap { get; set; } = Defaults.MaxGap;

    /// <summary>Fixes implying a faster movement (a GPS jump) are not joined.</summary>
    public double MaxSpeedMps { get; set; } = Defaults.MaxSpeedMps;

    /// <summary>Fixes reporting a worse accuracy (metres) do not count as searched ground.</summary>
    public double MaxAccuracyM { get; set; } = Defaults.MaxAccuracyM;

    /// <summary>How often an area merges new work into its footprint and pushes its progress.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often, at most, a changing footprint is written to storage (and always on deactivation).</summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An asset's work points waiting for its area (slow, or lost with a silo) at most: beyond, the queue is dropped and
    /// the area replays them from history instead (counted as <c>cmaclive.area.work_replayed</c>, reason <c>overflow</c>).
    /// </summary>
    public int MaxQueuedWorkPoints { get; set; } = 2000;

    public ClearanceRules ToRules() => new() { MaxGap = MaxGap, MaxSpeedMps = MaxSpeedMps, MaxAccuracyM = MaxAccuracyM };
}
