namespace CmacLive.Alerts;

/// <summary>Which hazard area (or none) one fix placed the asset in, at the fix's device time.</summary>
[GenerateSerializer, Immutable, Alias("cmac.AreaSighting")]
public sealed record AreaSighting
{
    [Id(0)] public required DateTimeOffset Ts { get; init; }
    [Id(1)] public string? Area { get; init; }
}
