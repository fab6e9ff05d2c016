namespace CmacLive.Tracking;

/// <summary>Which way an asset crossed a hazard area's edge.</summary>
public enum MovementKind
{
    Entered,
    Left,
}
