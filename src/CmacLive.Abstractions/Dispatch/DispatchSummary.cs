namespace CmacLive.Dispatch;

/// <summary>A request's figures, small enough to keep a month of them in one index.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchSummary")]
public sealed record DispatchSummary
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required DispatchStatus Status { get; init; }
    [Id(2)] public required DispatchPriority Priority { get; init; }
    [Id(3)] public string? Unit { get; init; }
    [Id(4)] public string? Province { get; init; }
    [Id(5)] public required DateTimeOffset ReceivedAt { get; init; }
    [Id(6)] public DateTimeOffset? AssignedAt { get; init; }
    [Id(7)] public DateTimeOffset? AcknowledgedAt { get; init; }
    [Id(8)] public DateTimeOffset? OnSiteAt { get; init; }
    [Id(9)] public DateTimeOffset? ClosedAt { get; init; }
    [Id(10)] public string? TeamId { get; init; }
    [Id(11)] public required FoundItem Found { get; init; }
    [Id(12)] public required double Lat { get; init; }
    [Id(13)] public required double Lon { get; init; }
    [Id(14)] public string? Village { get; init; }

    public bool IsOpen => Status is not (DispatchStatus.Resolved or DispatchStatus.Cancelled);
}
