namespace CmacLive.Clearance;

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
