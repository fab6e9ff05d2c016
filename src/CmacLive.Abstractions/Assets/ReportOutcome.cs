namespace CmacLive.Assets;

/// <summary>What became of a report once the asset saw it.</summary>
public enum ReportOutcome
{
    /// <summary>Applied to the live status.</summary>
    Applied = 0,
    /// <summary>The same device time was seen already: applied once, not again.</summary>
    Duplicate = 1,
    /// <summary>Older than the live status: kept for history, the live status does not go back in time.</summary>
    Late = 2,
    /// <summary>The device is not provisioned or bound to no asset.</summary>
    UnknownDevice = 3,
    /// <summary>The report contradicts what is known (a find for an unknown detection, or against an earlier decision).</summary>
    Refused = 4,
    /// <summary>The device may not do this (decide a detection that is neither its asset's nor in its asset's task area).</summary>
    Forbidden = 5,
}
