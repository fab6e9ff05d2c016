using System.Text.Json.Serialization;

namespace CmacLive.Dispatch;

/// <summary>What the community found, as the reporter describes it.</summary>
public enum FoundItem
{
    [JsonStringEnumMemberName("mine")] Mine = 0,
    [JsonStringEnumMemberName("uxo")] Uxo = 1,
    [JsonStringEnumMemberName("cluster-munition")] ClusterMunition = 2,
    [JsonStringEnumMemberName("unknown")] Unknown = 3,
}

/// <summary>How fast a team must be on site.</summary>
public enum DispatchPriority
{
    [JsonStringEnumMemberName("emergency")] Emergency = 0,
    [JsonStringEnumMemberName("high")] High = 1,
    [JsonStringEnumMemberName("routine")] Routine = 2,
}

/// <summary>
/// Where a request stands. The values are in lifecycle order: a request moves forward, to <see cref="Resolved"/>
/// or, from any open step, to <see cref="Cancelled"/>; only a deliberate re-assignment to another team
/// (before on site) takes it back to <see cref="Assigned"/>.
/// </summary>
public enum DispatchStatus
{
    [JsonStringEnumMemberName("received")] Received = 0,
    [JsonStringEnumMemberName("triaged")] Triaged = 1,
    [JsonStringEnumMemberName("assigned")] Assigned = 2,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged = 3,
    [JsonStringEnumMemberName("en-route")] EnRoute = 4,
    [JsonStringEnumMemberName("on-site")] OnSite = 5,
    [JsonStringEnumMemberName("resolved")] Resolved = 6,
    [JsonStringEnumMemberName("cancelled")] Cancelled = 7,
}

/// <summary>What the team did on site.</summary>
public enum DispatchResult
{
    /// <summary>Items found and destroyed where they lay.</summary>
    [JsonStringEnumMemberName("destroyed")] Destroyed = 0,
    /// <summary>Items found and taken away for destruction.</summary>
    [JsonStringEnumMemberName("removed")] Removed = 1,
    /// <summary>Nothing explosive was found.</summary>
    [JsonStringEnumMemberName("nothing-found")] NothingFound = 2,
}

/// <summary>A community's emergency report as filed: where, what, who reported it and what is near.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchReport")]
public sealed record DispatchReport
{
    [Id(0)] public required double Lat { get; init; }
    [Id(1)] public required double Lon { get; init; }
    [Id(2)] public string? Village { get; init; }
    [Id(3)] public string? Commune { get; init; }
    [Id(4)] public string? District { get; init; }
    [Id(5)] public string? Province { get; init; }
    [Id(6)] public required FoundItem Found { get; init; }
    [Id(7)] public string? Description { get; init; }
    [Id(8)] public string? ReporterName { get; init; }
    [Id(9)] public string? ReporterPhone { get; init; }
    [Id(10)] public bool NearPeople { get; init; }
    [Id(11)] public bool NearSchool { get; init; }
    [Id(12)] public bool NearRoad { get; init; }
    [Id(13)] public string? PhotoRef { get; init; }

    /// <summary>The unit whose ground it is, when the dispatcher knows it; otherwise taken from the province.</summary>
    [Id(14)] public string? Unit { get; init; }

    /// <summary>A priority the dispatcher sets instead of the triage's.</summary>
    [Id(15)] public DispatchPriority? Priority { get; init; }
}

/// <summary>A team that could go, with its straight-line distance and estimated travel time.</summary>
[GenerateSerializer, Immutable, Alias("cmac.Recommendation")]
public sealed record Recommendation
{
    [Id(0)] public required string TeamId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Unit { get; init; }
    [Id(3)] public required double DistanceM { get; init; }
    [Id(4)] public required double EtaMinutes { get; init; }
}

/// <summary>One step of a request's life: from what status to what, when, by whom.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchStep")]
public sealed record DispatchStep
{
    [Id(0)] public required DispatchStatus? From { get; init; }
    [Id(1)] public required DispatchStatus To { get; init; }
    [Id(2)] public required DateTimeOffset At { get; init; }
    [Id(3)] public required string By { get; init; }
    [Id(4)] public string? Note { get; init; }
    [Id(5)] public string? TeamId { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(6)] public string? OnBehalfOf { get; init; }
}

/// <summary>How a request ended on site.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchOutcome")]
public sealed record DispatchOutcome
{
    [Id(0)] public required DispatchResult Result { get; init; }

    /// <summary>Explosive items found; 0 with <see cref="DispatchResult.NothingFound"/>.</summary>
    [Id(1)] public required int Items { get; init; }

    [Id(2)] public string? Note { get; init; }
}

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
}

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

/// <summary>The step asked for is not allowed now (a closed request, a step backwards, a team already taken).</summary>
[GenerateSerializer, Alias("cmac.DispatchConflictException")]
public sealed class DispatchConflictException : Exception
{
    public DispatchConflictException()
    {
    }

    public DispatchConflictException(string message) : base(message)
    {
    }

    public DispatchConflictException(string message, Exception inner) : base(message, inner)
    {
    }
}
