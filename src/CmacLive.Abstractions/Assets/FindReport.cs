namespace CmacLive.Assets;

/// <summary>
/// A team's decision on a detection, sent from the field: a find with its details, or clutter
/// (<see cref="Find"/> null). The detection is named by its id.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.FindReport")]
public sealed record FindReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required string DetectionId { get; init; }
    [Id(3)] public Detections.FindDetails? Find { get; init; }
    [Id(4)] public string? Note { get; init; }
}
