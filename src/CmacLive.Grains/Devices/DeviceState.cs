using CmacLive.Assets;

namespace CmacLive.Devices;

[GenerateSerializer, Alias("cmac.DeviceState")]
public sealed class DeviceState
{
    [Id(0)] public AssetRef? Asset { get; set; }
    [Id(1)] public DeviceKind Kind { get; set; }
    [Id(2)] public string? SecretHash { get; set; }
}
