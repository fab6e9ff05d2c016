namespace CmacLive.Downlinks;

/// <summary>
/// Where a silo's downlinks leave: its embedded broker (to devices connected there) or the external broker.
/// Registered by the MQTT side; the silo's downlink relay hands it the cluster's commands.
/// </summary>
public interface IDeviceCommandSink
{
    /// <summary>
    /// Sends the commands. <paramref name="fromThisSilo"/> says the command was raised on this silo: with an
    /// external broker only that silo publishes, with embedded brokers every silo does (the device is connected to one).
    /// </summary>
    Task SendAsync(IReadOnlyList<DeviceCommand> commands, bool fromThisSilo, CancellationToken cancellationToken);
}
