namespace CmacLive.Devices;

/// <summary>A provisioned device as REST shows it (never its secret).</summary>
[GenerateSerializer, Immutable, Alias("cmac.DeviceInfo")]
public sealed record DeviceInfo
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string AssetId { get; init; }
    [Id(2)] public required DeviceKind Kind { get; init; }
}
