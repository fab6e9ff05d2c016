using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Clearance;
using CmacLive.Detections;

namespace CmacLive.HazardAreas;

[GenerateSerializer, Alias("cmac.HazardAreaState")]
public sealed class HazardAreaState
{
    [Id(0)] public HazardAreaDefinition? Definition { get; set; }
    [Id(1)] public HazardAreaStatus Status { get; set; }
    [Id(2)] public List<AssetRef> Assets { get; set; } = [];
    [Id(3)] public FootprintState? Footprint { get; set; }
    [Id(4)] public List<StatusTransition> Transitions { get; set; } = [];
    [Id(5)] public LandReleaseOutcome? Outcome { get; set; }
    [Id(6)] public SeparationState Separation { get; set; } = new();
    [Id(7)] public DetectionTally Detections { get; set; } = new();

    /// <summary>The searched area the unit's figures had been credited with before <see cref="CreditDay"/> began.</summary>
    [Id(8)] public double SearchedCreditedM2 { get; set; }

    /// <summary>The day the area's searched ground is being credited to: its growth since <see cref="SearchedCreditedM2"/>.</summary>
    [Id(9)] public DateOnly? CreditDay { get; set; }

    /// <summary>The release outcome not yet confirmed credited to the unit's figures (credited until it is).</summary>
    [Id(10)] public DateOnly? ReleaseCreditDue { get; set; }

    /// <summary>When the state was last written: the footprint has seen every work point received before then.</summary>
    [Id(11)] public DateTimeOffset? SavedAt { get; set; }
}
