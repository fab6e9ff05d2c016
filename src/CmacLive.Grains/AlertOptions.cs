using CmacLive.Alerts;
using CmacLive.Assets;

namespace CmacLive;

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

    /// <summary>How many closed alerts the ledger keeps at hand (the plain list, hubs catching up); every closed alert is in history.</summary>
    public int ClosedKept { get; set; } = 1000;

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
