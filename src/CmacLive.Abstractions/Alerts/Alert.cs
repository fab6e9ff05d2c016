namespace CmacLive.Alerts;

/// <summary>How urgently the command centre must act.</summary>
public enum AlertSeverity
{
    Info = 0,
    Warning = 1,
    High = 2,
    Critical = 3,
}

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

/// <summary>
/// A safety alert (contract v1). Raised once per episode; <see cref="ClearedAt"/> is set when the
/// condition is over; it stays open until it is both cleared and acknowledged by a user.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.Alert")]
public sealed record Alert
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public required AlertSeverity Severity { get; init; }
    [Id(3)] public string? AssetId { get; init; }
    [Id(4)] public string? HazardArea { get; init; }
    [Id(5)] public required string Message { get; init; }
    [Id(6)] public required DateTimeOffset RaisedAt { get; init; }
    [Id(7)] public DateTimeOffset? ClearedAt { get; init; }
    [Id(8)] public string? AcknowledgedBy { get; init; }
    [Id(9)] public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>The unit concerned, so dashboards focused on units see their own alerts.</summary>
    [Id(10)] public string? Unit { get; init; }

    /// <summary>Every step of the alert's life: raised, cleared, acknowledged; who and when.</summary>
    [Id(11)] public IReadOnlyList<AlertAudit> Trail { get; init; } = [];

    /// <summary>The dispatch request concerned, for escalations.</summary>
    [Id(12)] public string? RequestId { get; init; }

    /// <summary>
    /// True on an SOS a silo pushed to the dashboards the moment it received it, before the ledger stored it (which
    /// may wait for a failover): the ledger's own alert, with the same id when the device did not move, follows. Not
    /// in the ledger, never stored; absent from every other alert.
    /// </summary>
    [Id(13)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? Provisional { get; init; }

    /// <summary>The ledger's sequence number of the alert's latest change: hubs that missed changes ask for those after the last they had.</summary>
    [Id(14)]
    [System.Text.Json.Serialization.JsonIgnore]
    public long Seq { get; init; }

    /// <summary>The ledger's sequence number of the alert's raising.</summary>
    [Id(15)]
    [System.Text.Json.Serialization.JsonIgnore]
    public long RaisedSeq { get; init; }

    /// <summary>Open until both cleared and acknowledged.</summary>
    public bool IsOpen => ClearedAt is null || AcknowledgedAt is null;
}

/// <summary>One step in an alert's audit trail.</summary>
[GenerateSerializer, Immutable, Alias("cmac.AlertAudit")]
public sealed record AlertAudit
{
    [Id(0)] public required DateTimeOffset At { get; init; }
    [Id(1)] public required string Action { get; init; }
    [Id(2)] public required string By { get; init; }
    [Id(3)] public string? Note { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(4)] public string? OnBehalfOf { get; init; }
}

/// <summary>What a rule wants done with an alert: raise it (if its id is new), or clear it at a time.</summary>
[GenerateSerializer, Immutable, Alias("cmac.AlertSignal")]
public sealed record AlertSignal
{
    [Id(0)] public required string Id { get; init; }

    /// <summary>The alert to raise; null for a clear.</summary>
    [Id(1)] public Alert? Raised { get; init; }

    /// <summary>When the episode ended; set for a clear.</summary>
    [Id(2)] public DateTimeOffset? ClearedAt { get; init; }

    public static AlertSignal Raise(Alert alert) => new() { Id = alert.Id, Raised = alert };

    public static AlertSignal Cleared(string id, DateTimeOffset at) => new() { Id = id, ClearedAt = at };
}

/// <summary>Hands a rule's undelivered signals to the cluster's ledger.</summary>
public static class AlertOutbox
{
    /// <summary>
    /// Sends every signal in <paramref name="outbox"/>; on success they leave it (answers true), on failure
    /// they stay, to be sent again (the ledger takes a signal twice without harm).
    /// </summary>
    public static async Task<bool> DeliverAsync(IGrainFactory grains, List<AlertSignal> outbox)
    {
        if (outbox.Count == 0)
        {
            return false;
        }

        var sending = outbox.ToList();
        await grains.GetGrain<IAlertLedgerGrain>(0).Apply(sending);
        outbox.RemoveRange(0, sending.Count);
        return true;
    }
}
