using CmacLive.Assets;

namespace CmacLive.Devices;

/// <summary>
/// A field device: its credentials and the one asset it is bound to. Reports enter the domain here and
/// go on to the bound asset. Keyed by device id (the MQTT username).
/// </summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>Provisions the device; sessions opened with an earlier secret are closed on every silo within seconds.</summary>
    Task<DeviceInfo> Provision(DeviceProvision provision);

    /// <summary>Deletes the device: it can no longer connect, and its open sessions are closed on every silo within seconds. False when there was none.</summary>
    Task<bool> Delete();

    /// <summary>The device as provisioned, or null.</summary>
    Task<DeviceInfo?> Get();

    /// <summary>
    /// The asset the device reports for, when it is provisioned and the secret is its password; otherwise null. A connection
    /// keeps it for its lifetime and sends reports straight to the asset: re-binding or revoking the device closes its sessions.
    /// </summary>
    Task<AssetRef?> Authenticate(string secret);

    Task<ReportOutcome> ProcessFix(FixReport fix);

    Task<ReportOutcome> ProcessStatus(StatusReport report);

    Task<ReportOutcome> ProcessDetection(DetectionReport detection);

    Task<ReportOutcome> ProcessFind(FindReport report);

    /// <summary>The device's team accepts its dispatch assignment.</summary>
    Task<ReportOutcome> ProcessAck(AckReport ack);

    /// <summary>The device's connection ended without a clean disconnect (or its last will was sent).</summary>
    Task ConnectionLost();
}
