namespace CmacLive.Dispatch;

/// <summary>Response times of a group of requests, in minutes from reception.</summary>
public sealed record DispatchFigureRow
{
    public required string Unit { get; init; }
    public required DispatchPriority Priority { get; init; }
    public required int Requests { get; init; }
    public required int Open { get; init; }
    public required int Resolved { get; init; }
    public required int Cancelled { get; init; }
    public required Duration ToAssign { get; init; }
    public required Duration ToAcknowledge { get; init; }
    public required Duration ToOnSite { get; init; }
    public required Duration ToResolve { get; init; }
}
