using CmacLive.Assets;

namespace CmacLive.Devices;

/// <summary>Provisions a device: the asset it reports for and the hash of its MQTT password.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DeviceProvision")]
public sealed record DeviceProvision
{
    [Id(0)] public required AssetRef Asset { get; init; }
    [Id(1)] public required DeviceKind Kind { get; init; }
    [Id(2)] public required string SecretHash { get; init; }
}
