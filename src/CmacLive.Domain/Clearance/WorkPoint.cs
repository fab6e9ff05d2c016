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

/// <summary>What a work point added to the searched footprint.</summary>
public enum WorkPointOutcome
{
    /// <summary>The path from the asset's previous point to this one, buffered by half the working width.</summary>
    Segment,
    /// <summary>Only the spot itself: the first point of a run, a point after a gap or a jump, or a late point.</summary>
    Spot,
    /// <summary>The same asset and time were added before.</summary>
    Duplicate,
    /// <summary>The fix is too inaccurate to count as searched ground.</summary>
    Inaccurate,
    /// <summary>Nowhere near the area.</summary>
    Outside,
}

/// <summary>Which fixes may count as searched ground, and which may be joined into a path.</summary>
public sealed record ClearanceRules
{
    /// <summary>Two fixes further apart in time than this are not joined: the ground between them is not counted.</summary>
    public TimeSpan MaxGap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Two fixes that imply a faster movement than this (a GPS jump) are not joined.</summary>
    public double MaxSpeedMps { get; init; } = 5;

    /// <summary>A fix with a worse reported accuracy than this (metres) is not counted at all.</summary>
    public double MaxAccuracyM { get; init; } = 20;
}
