namespace CmacLive.Assets;

/// <summary>A device's acknowledgement of a dispatch assignment (<c>cmac/v1/{deviceId}/ack</c>).</summary>
[GenerateSerializer, Immutable, Alias("cmac.AckReport")]
public sealed record AckReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required string RequestId { get; init; }
}
