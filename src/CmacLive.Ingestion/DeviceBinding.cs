using CmacLive.Assets;
using CmacLive.Devices;

namespace CmacLive.Ingestion;

/// <summary>
/// What a connection learned at CONNECT: its device and the asset the device reports for, with their grain references
/// made once. Reports go straight to the asset, one grain call per uplink. It holds for the connection's lifetime:
/// re-binding the device to another asset, a new secret or a revocation closes the device's sessions on every silo.
/// </summary>
public sealed class DeviceBinding(IGrainFactory grains, string deviceId, AssetRef asset)
{
    public string DeviceId { get; } = deviceId;

    public IDeviceGrain Device { get; } = grains.GetGrain<IDeviceGrain>(deviceId);

    public IAssetGrain AssetGrain { get; } = AssetGrains.Get(grains, asset);
}
