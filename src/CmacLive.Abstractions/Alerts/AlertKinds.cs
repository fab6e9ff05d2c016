namespace CmacLive.Alerts;

/// <summary>The safety rules that raise alerts; the values are the <c>kind</c> on the wire.</summary>
public static class AlertKinds
{
    /// <summary>A device reported the SOS state.</summary>
    public const string Sos = "sos";

    /// <summary>An asset stayed inside a hazard area it is not assigned to.</summary>
    public const string UnassignedEntry = "unassigned-entry";

    /// <summary>An assigned asset stopped reporting while working.</summary>
    public const string Stale = "stale";

    /// <summary>Two assets working in the same area came closer than the safe working distance.</summary>
    public const string Proximity = "proximity";

    /// <summary>A dog or rat worked past its work period without its rest.</summary>
    public const string AnimalWorkPeriod = "animal-work-period";

    /// <summary>A detection was reported inside an area already released: a quality flag.</summary>
    public const string DetectionInReleasedArea = "detection-in-released-area";

    /// <summary>An assigned team did not acknowledge its dispatch in time.</summary>
    public const string DispatchUnacknowledged = "dispatch-unacknowledged";

    /// <summary>No team was on site by the request's priority target.</summary>
    public const string DispatchOverdue = "dispatch-overdue";
}
