namespace CmacLive.Assets;

/// <summary>A detector signal or an animal's indication at a point: a possible item.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DetectionReport")]
public sealed record DetectionReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required double Lat { get; init; }
    [Id(3)] public required double Lon { get; init; }
    [Id(4)] public required DetectionSensor Sensor { get; init; }
    [Id(5)] public double? Strength { get; init; }
    [Id(6)] public double? DepthCm { get; init; }
}
