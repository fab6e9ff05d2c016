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
