using System.Security.Cryptography;
using System.Text;
using CmacLive.Assets;
using CmacLive.Storage;

namespace CmacLive.Devices;

/// <summary>
/// A field device: checks its password and passes its reports to the asset it is bound to. The slow,
/// salted hash is checked once per activation; a device reconnecting with the same password is then
/// matched against a digest held in memory only, so reconnect storms after an outage stay cheap.
/// </summary>
[Orleans.Placement.PreferLocalPlacement] // checked where the device connects
public sealed class DeviceGrain(
    [PersistentState("device", StorageNames.Main)] IPersistentState<DeviceState> store,
    CmacLive.Audit.IAuditLog audit,
    Downlinks.DownlinkFeed downlinks,
    TimeProvider time) : Grain, IDeviceGrain
{
    private IAssetGrain? _asset;
    private byte[]? _verifiedDigest;

    public async Task<DeviceInfo> Provision(DeviceProvision provision)
    {
        // A new secret, or another asset: the device's sessions close, so what a connection learned at CONNECT (its
        // password, its asset) is learned again.
        var rekeyed = (store.State.SecretHash is not null && store.State.SecretHash != provision.SecretHash)
            || (store.State.Asset is { } bound && bound.Id != provision.Asset.Id);
        store.State.Asset = provision.Asset;
        store.State.Kind = provision.Kind;
        store.State.SecretHash = provision.SecretHash;
        await store.WriteStateAsync();
        _asset = null;
        _verifiedDigest = null;
        if (rekeyed)
        {
            CloseSessions();
        }

        return ToInfo(provision.Asset);
    }

    public async Task<bool> Delete()
    {
        if (store.State.SecretHash is null && store.State.Asset is null)
        {
            return false;
        }

        await store.ClearStateAsync();
        store.State = new DeviceState();
        _asset = null;
        _verifiedDigest = null;
        CloseSessions();
        return true;
    }

    /// <summary>Every silo's broker closes the sessions this device opened until now (stored first: nothing reopens them).</summary>
    private void CloseSessions() =>
        downlinks.Send(new Downlinks.DeviceCommand
        {
            DeviceId = this.GetPrimaryKeyString(),
            Payload = "",
            CloseSessionsBefore = time.GetUtcNow(),
        });

    public Task<DeviceInfo?> Get() =>
        Task.FromResult(store.State.Asset is { } asset ? ToInfo(asset) : null);

    public async Task<AssetRef?> Authenticate(string secret)
    {
        if (store.State.SecretHash is not { } hash || store.State.Asset is not { } asset)
        {
            return null;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (_verifiedDigest is not null && CryptographicOperations.FixedTimeEquals(digest, _verifiedDigest))
        {
            return asset;
        }

        // The deliberately slow hash runs on the thread pool, not on the grain scheduler.
        var valid = await Task.Run(() => DeviceSecret.Verify(secret, hash));
        if (valid && store.State.SecretHash == hash)
        {
            _verifiedDigest = digest;
        }

        return valid ? asset : null;
    }

    public Task<ReportOutcome> ProcessFix(FixReport fix) =>
        Asset() is { } asset ? asset.ProcessFix(fix) : Unknown;

    public Task<ReportOutcome> ProcessStatus(StatusReport report) =>
        Asset() is { } asset ? asset.ProcessStatus(report) : Unknown;

    public Task<ReportOutcome> ProcessDetection(DetectionReport detection) =>
        Asset() is { } asset ? asset.ProcessDetection(detection) : Unknown;

    public Task<ReportOutcome> ProcessFind(FindReport report) =>
        Asset() is { } asset ? asset.ProcessFind(report) : Unknown;

    public async Task<ReportOutcome> ProcessAck(AckReport ack)
    {
        if (store.State.Asset is not { } asset || Asset() is null)
        {
            return ReportOutcome.UnknownDevice;
        }

        try
        {
            var request = await GrainFactory.GetGrain<Dispatch.IDispatchRequestGrain>(ack.RequestId)
                .Acknowledge(asset.Id, ack.DeviceId, ack.Ts, $"{asset.Id} (device {ack.DeviceId})");
            if (request is null)
            {
                return ReportOutcome.Refused;
            }

            // The team's acceptance from the field is in the audit trail, under the device.
            await audit.AppendAsync(new CmacLive.Audit.AuditEntry
            {
                At = time.GetUtcNow(),
                User = $"device:{ack.DeviceId}",
                Action = "request.acknowledge",
                Target = $"request:{ack.RequestId}",
                Detail = System.Text.Json.JsonSerializer.Serialize(new { teamId = asset.Id, ts = ack.Ts }),
            }, CancellationToken.None);
            return ReportOutcome.Applied;
        }
        catch (Dispatch.DispatchConflictException)
        {
            return ReportOutcome.Refused;
        }
    }

    public Task ConnectionLost() =>
        Asset() is { } asset ? asset.ConnectionLost(this.GetPrimaryKeyString()) : Task.CompletedTask;

    private static Task<ReportOutcome> Unknown => Task.FromResult(ReportOutcome.UnknownDevice);

    private IAssetGrain? Asset() =>
        _asset ??= store.State.Asset is { } asset ? AssetGrains.Get(GrainFactory, asset) : null;

    private DeviceInfo ToInfo(AssetRef asset) =>
        new() { Id = this.GetPrimaryKeyString(), AssetId = asset.Id, Kind = store.State.Kind };
}
