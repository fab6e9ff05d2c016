namespace CmacLive.Downlinks;

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
