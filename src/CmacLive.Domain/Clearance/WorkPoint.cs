namespace CmacLive.Clearance;

/// <summary>
/// One fix of an assigned asset while it was working: where it searched, when, how wide. Fixes of one
/// uninterrupted working period share a <paramref name="Run"/> number; only fixes of the same run are joined.
/// </summary>
public readonly record struct WorkPoint(
    string AssetId,
    int Run,
    DateTimeOffset Ts,
    double Lat,
    double Lon,
    double? Acc,
    double WidthM);
