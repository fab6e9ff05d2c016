namespace CmacLive.HazardAreas;

/// <summary>
/// The IMAS land-release outcome of an area, in square metres: cancelled by non-technical survey,
/// reduced by technical survey, cleared.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.LandReleaseOutcome")]
public sealed record LandReleaseOutcome
{
    [Id(0)] public double CancelledM2 { get; init; }
    [Id(1)] public double ReducedM2 { get; init; }
    [Id(2)] public double ClearedM2 { get; init; }

    public double ReleasedM2 => CancelledM2 + ReducedM2 + ClearedM2;
}
