namespace CmacLive.Dispatch;

/// <summary>A request as REST answers it and the hub pushes it (<c>dispatchUpdated</c>).</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchRequestView")]
public sealed record DispatchRequestView
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required DispatchStatus Status { get; init; }
    [Id(2)] public required DispatchPriority Priority { get; init; }
    [Id(3)] public required DispatchReport Report { get; init; }
    [Id(4)] public string? Unit { get; init; }
    [Id(5)] public required DateTimeOffset ReceivedAt { get; init; }
    [Id(6)] public IReadOnlyList<Recommendation> Recommendations { get; init; } = [];
    [Id(7)] public string? TeamId { get; init; }
    [Id(8)] public DateTimeOffset? AssignedAt { get; init; }
    [Id(9)] public DateTimeOffset? AcknowledgedAt { get; init; }
    [Id(10)] public DateTimeOffset? EnRouteAt { get; init; }
    [Id(11)] public DateTimeOffset? OnSiteAt { get; init; }
    [Id(12)] public DateTimeOffset? ClosedAt { get; init; }
    [Id(13)] public DispatchOutcome? Outcome { get; init; }

    /// <summary>The assigned team's straight-line distance to the site at its last fix.</summary>
    [Id(14)] public double? TeamDistanceM { get; init; }

    /// <summary>When the team must be on site, by the priority's target.</summary>
    [Id(15)] public required DateTimeOffset OnSiteDue { get; init; }

    /// <summary>When an assignment not yet acknowledged is escalated.</summary>
    [Id(16)] public DateTimeOffset? AcknowledgeDue { get; init; }

    [Id(17)] public IReadOnlyList<DispatchStep> Trail { get; init; } = [];

    /// <summary>
    /// When the reporter's name and phone were erased for good, the retention after closing having run
    /// (<c>Dispatch:PersonalDataRetention</c>); null while they are kept.
    /// </summary>
    [Id(18)] public DateTimeOffset? PersonalDataErasedAt { get; init; }

    /// <summary>
    /// Why <see cref="Recommendations"/> is empty when it is (no EOD-capable team, or each one unavailable and why, or the
    /// teams could not be ranked just now); null otherwise.
    /// </summary>
    [Id(19)] public string? NoRecommendationReason { get; init; }
}
