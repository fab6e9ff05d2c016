namespace CmacLive.History;

/// <summary>One accepted fix as history keeps it: every fix, late ones included, once per (device, ts).</summary>
public sealed record FixRecord(
    string AssetId,
    string DeviceId,
    DateTimeOffset Ts,
    double Lat,
    double Lon,
    double? Acc,
    double? Alt,
    double? Spd,
    double? Hdg,
    int? Bat,
    DateTimeOffset ReceivedAt);

/// <summary>What else history keeps: a status report or a detection, with its payload as JSON.</summary>
public sealed record EventRecord(
    string AssetId,
    string DeviceId,
    string Kind,
    DateTimeOffset Ts,
    string Payload,
    DateTimeOffset ReceivedAt);

/// <summary>One point of an asset's track.</summary>
public readonly record struct TrackPoint(DateTimeOffset Ts, double Lat, double Lon, double? Alt, double? Acc = null);

/// <summary>One stored event of an asset (a status, a detection, a find): its device time and its JSON payload.</summary>
public readonly record struct HistoryEvent(DateTimeOffset Ts, string Payload);
