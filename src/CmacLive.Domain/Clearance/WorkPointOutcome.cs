namespace CmacLive.Clearance;

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
