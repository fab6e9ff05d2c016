namespace CmacLive.Tracking;

/// <summary>An asset entered or left a hazard area, at the device time its crossing began.</summary>
public readonly record struct Movement(MovementKind Kind, string HazardArea, DateTimeOffset At)
{
    /// <summary>The name on the wire and in history: <c>entered</c> or <c>left</c>.</summary>
    public string KindName => Kind == MovementKind.Entered ? Movements.Entered : Movements.Left;
}
