using CmacLive.Alerts;

namespace CmacLive.Dispatch;

/// <summary>The stored state of one request: bounded (a trail of steps, a handful of open alerts).</summary>
[GenerateSerializer, Alias("cmac.DispatchState")]
public sealed class DispatchState
{
    [Id(0)] public DispatchReport? Report { get; set; }
    [Id(1)] public DispatchStatus Status { get; set; }
    [Id(2)] public DispatchPriority Priority { get; set; }
    [Id(3)] public string? Unit { get; set; }
    [Id(4)] public DateTimeOffset ReceivedAt { get; set; }
    [Id(5)] public List<Recommendation> Recommendations { get; set; } = [];
    [Id(6)] public string? TeamId { get; set; }
    [Id(7)] public DateTimeOffset? AssignedAt { get; set; }
    [Id(8)] public DateTimeOffset? AcknowledgedAt { get; set; }
    [Id(9)] public DateTimeOffset? EnRouteAt { get; set; }
    [Id(10)] public DateTimeOffset? OnSiteAt { get; set; }
    [Id(11)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(12)] public DispatchOutcome? Outcome { get; set; }
    [Id(13)] public double? StartDistanceM { get; set; }
    [Id(14)] public double? TeamDistanceM { get; set; }
    [Id(15)] public DateTimeOffset? TeamFixTs { get; set; }
    [Id(16)] public List<DispatchStep> Trail { get; set; } = [];

    /// <summary>Counts assignments, so each one's acknowledgement escalation is an alert of its own.</summary>
    [Id(17)] public int Assignment { get; set; }

    /// <summary>The assigned team's devices, which get the assignment downlink.</summary>
    [Id(18)] public List<string> Devices { get; set; } = [];

    /// <summary>Alert signals stored before they are delivered to the ledger.</summary>
    [Id(19)] public List<AlertSignal> Outbox { get; set; } = [];

    /// <summary>Ids of the escalations raised and not yet cleared.</summary>
    [Id(20)] public List<string> OpenAlerts { get; set; } = [];

    /// <summary>When the assignment downlink was last sent; it is sent again until acknowledged.</summary>
    [Id(21)] public DateTimeOffset? CommandSentAt { get; set; }

    [Id(22)] public DateTimeOffset OnSiteDue { get; set; }

    /// <summary>Teams still to be freed from this request (and told), kept until their grain has taken it.</summary>
    [Id(23)] public List<DispatchRelease> Releases { get; set; } = [];

    /// <summary>The request's lists and the dashboards have not yet seen its last stored step.</summary>
    [Id(24)] public bool IndexPending { get; set; }

    /// <summary>When the reporter's name and phone were erased from <see cref="Report"/>, once the retention after closing had run.</summary>
    [Id(25)] public DateTimeOffset? PersonalDataErasedAt { get; set; }

    /// <summary>Why <see cref="Recommendations"/> is empty, as it was when last ranked (null when it is not).</summary>
    [Id(26)] public string? NoRecommendationReason { get; set; }
}
