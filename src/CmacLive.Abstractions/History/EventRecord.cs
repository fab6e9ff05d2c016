namespace CmacLive.History;

/// <summary>What else history keeps: a status report or a detection, with its payload as JSON.</summary>
public sealed record EventRecord(
    string AssetId,
    string DeviceId,
    string Kind,
    DateTimeOffset Ts,
    string Payload,
    DateTimeOffset ReceivedAt);
