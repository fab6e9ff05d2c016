using CmacLive.Assets;
using CmacLive.Storage;

namespace CmacLive.Devices;

[GenerateSerializer, Alias("cmac.DeviceState")]
public sealed class DeviceState
{
    [Id(0)] public AssetRef? Asset { get; set; }
    [Id(1)] public DeviceKind Kind { get; set; }
    [Id(2)] public string? SecretHash { get; set; }
}

/// <summary>A field device: checks its password and passes its reports to the asset it is bound to.</summary>
public sealed class DeviceGrain(
    [PersistentState("device", StorageNames.Main)] IPersistentState<DeviceState> store) : Grain, IDeviceGrain
{
    private IAssetGrain? _asset;

    public async Task<DeviceInfo> Provision(DeviceProvision provision)
    {
        store.State.Asset = provision.Asset;
        store.State.Kind = provision.Kind;
        store.State.SecretHash = provision.SecretHash;
        await store.WriteStateAsync();
        _asset = null;
        return ToInfo(provision.Asset);
    }

    public Task<DeviceInfo?> Get() =>
        Task.FromResult(store.State.Asset is { } asset ? ToInfo(asset) : null);

    public Task<bool> Authenticate(string secret) =>
        Task.FromResult(store.State.SecretHash is { } hash && DeviceSecret.Verify(secret, hash));

    public Task<ReportOutcome> ProcessFix(FixReport fix) =>
        Asset() is { } asset ? asset.ProcessFix(fix) : Unknown;

    public Task<ReportOutcome> ProcessStatus(StatusReport report) =>
        Asset() is { } asset ? asset.ProcessStatus(report) : Unknown;

    public Task<ReportOutcome> ProcessDetection(DetectionReport detection) =>
        Asset() is { } asset ? asset.ProcessDetection(detection) : Unknown;

    public Task ConnectionLost() =>
        Asset() is { } asset ? asset.ConnectionLost(this.GetPrimaryKeyString()) : Task.CompletedTask;

    private static Task<ReportOutcome> Unknown => Task.FromResult(ReportOutcome.UnknownDevice);

    private IAssetGrain? Asset() =>
        _asset ??= store.State.Asset is { } asset ? AssetGrains.Get(GrainFactory, asset) : null;

    private DeviceInfo ToInfo(AssetRef asset) =>
        new() { Id = this.GetPrimaryKeyString(), AssetId = asset.Id, Kind = store.State.Kind };
}
