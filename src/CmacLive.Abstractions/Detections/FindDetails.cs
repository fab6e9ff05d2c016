namespace CmacLive.Detections;

/// <summary>A confirmed item: category, model if known (e.g. BLU-24/B), depth and disposal.</summary>
[GenerateSerializer, Immutable, Alias("cmac.FindDetails")]
public sealed record FindDetails
{
    [Id(0)] public required FindCategory Category { get; init; }
    [Id(1)] public string? Model { get; init; }
    [Id(2)] public required double DepthCm { get; init; }
    [Id(3)] public required Disposal Disposal { get; init; }
}
