namespace CmacLive.Alerts;

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
