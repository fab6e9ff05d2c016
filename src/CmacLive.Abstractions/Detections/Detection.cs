using CmacLive.Assets;

namespace CmacLive.Detections;

/// <summary>A detection as REST answers it: a possible item at a point, and what it turned out to be.</summary>
[GenerateSerializer, Immutable, Alias("cmac.Detection")]
public sealed record Detection
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string AssetId { get; init; }
    [Id(2)] public required string DeviceId { get; init; }
    [Id(3)] public required string Unit { get; init; }
    [Id(4)] public string? HazardArea { get; init; }
    [Id(5)] public string? Project { get; init; }
    [Id(6)] public required DateTimeOffset Ts { get; init; }
    [Id(7)] public required double Lat { get; init; }
    [Id(8)] public required double Lon { get; init; }
    [Id(9)] public required DetectionSensor Sensor { get; init; }
    [Id(10)] public double? Strength { get; init; }
    [Id(11)] public double? DepthCm { get; init; }
    [Id(12)] public DetectionStatus Status { get; init; }
    [Id(13)] public FindDetails? Find { get; init; }
    [Id(14)] public string? DecidedBy { get; init; }
    [Id(15)] public DateTimeOffset? DecidedAt { get; init; }
    [Id(16)] public string? Note { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(17)] public string? OnBehalfOf { get; init; }
}
