namespace CmacLive.Alerts;

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
