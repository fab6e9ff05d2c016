namespace CmacLive.Dispatch;

/// <summary>A team that could go, with its straight-line distance and estimated travel time.</summary>
[GenerateSerializer, Immutable, Alias("cmac.Recommendation")]
public sealed record Recommendation
{
    [Id(0)] public required string TeamId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Unit { get; init; }
    [Id(3)] public required double DistanceM { get; init; }
    [Id(4)] public required double EtaMinutes { get; init; }
}
