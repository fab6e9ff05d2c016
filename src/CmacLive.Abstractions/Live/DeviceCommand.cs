namespace CmacLive.Live;

/// <summary>
/// A downlink for one device: a JSON payload for <c>cmac/v1/{deviceId}/cmd</c>; or, with <see cref="CloseSessionsBefore"/>,
/// the order to close the device's MQTT sessions opened before that time (its secret was replaced, or it was deleted).
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.DeviceCommand")]
public sealed record DeviceCommand
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required string Payload { get; init; }

    /// <summary>Set: close every session of the device that was opened before this time (a session opened since, with the new secret, stays).</summary>
    [Id(2)] public DateTimeOffset? CloseSessionsBefore { get; init; }
}

/// <summary>
/// Where a silo's downlinks leave: its embedded broker (to devices connected there) or the external broker.
/// Registered by the MQTT side; the silo's hub observer hands it the cluster's commands.
/// </summary>
public interface IDeviceCommandSink
{
    /// <summary>
    /// Sends the commands. <paramref name="fromThisSilo"/> says the command was raised on this silo: with an
    /// external broker only that silo publishes, with embedded brokers every silo does (the device is connected to one).
    /// </summary>
    Task SendAsync(IReadOnlyList<DeviceCommand> commands, bool fromThisSilo, CancellationToken cancellationToken);
}
