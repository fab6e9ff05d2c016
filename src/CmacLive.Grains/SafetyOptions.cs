using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Clearance;

namespace CmacLive;

/// <summary>A setting with one value per asset kind (configuration keys <c>…:Team</c>, <c>…:Machine</c>, <c>…:Dog</c>, <c>…:Rat</c>).</summary>
public sealed class PerKind<T>
    where T : struct
{
    public T Team { get; set; }

    public T Machine { get; set; }

    public T Dog { get; set; }

    public T Rat { get; set; }

    public T For(AssetKind kind) => kind switch
    {
        AssetKind.Machine => Machine,
        AssetKind.Dog => Dog,
        AssetKind.Rat => Rat,
        _ => Team,
    };
}

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

    public ClearanceRules ToRules() => new() { MaxGap = MaxGap, MaxSpeedMps = MaxSpeedMps, MaxAccuracyM = MaxAccuracyM };
}

/// <summary>Safety alert thresholds, bound from the <c>Alerts</c> configuration section.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    // The rules' own defaults are the settings' defaults: said once, in the domain.
    private static readonly AlertRules Defaults = new();

    public TimeSpan EntryDwell { get; set; } = Defaults.EntryDwell;

    public PerKind<TimeSpan> StaleAfter { get; set; } = new()
    {
        Team = Defaults.StaleAfterFor(AssetKind.Team),
        Machine = Defaults.StaleAfterFor(AssetKind.Machine),
        Dog = Defaults.StaleAfterFor(AssetKind.Dog),
        Rat = Defaults.StaleAfterFor(AssetKind.Rat),
    };

    public double MinSeparationM { get; set; } = Defaults.MinSeparationM;

    public TimeSpan SeparationMaxSkew { get; set; } = Defaults.SeparationMaxSkew;

    public TimeSpan AnimalWorkPeriod { get; set; } = Defaults.AnimalWorkPeriod;

    public TimeSpan AnimalRestPeriod { get; set; } = Defaults.AnimalRestPeriod;

    public AlertRules ToRules() => new()
    {
        EntryDwell = EntryDwell,
        StaleAfter = Enum.GetValues<AssetKind>().ToDictionary(k => k, StaleAfter.For),
        MinSeparationM = MinSeparationM,
        SeparationMaxSkew = SeparationMaxSkew,
        AnimalWorkPeriod = AnimalWorkPeriod,
        AnimalRestPeriod = AnimalRestPeriod,
    };
}

/// <summary>Report settings, bound from the <c>Reports</c> configuration section.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>The offset of the local time that days are counted in (Cambodia: +07:00, no daylight saving).</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(7);

    /// <summary>A working asset that falls silent is credited with at most this much working time for the silence.</summary>
    public TimeSpan MaxSilentWork { get; set; } = TimeSpan.FromMinutes(10);
}
