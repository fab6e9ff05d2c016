namespace CmacLive.Alerts;

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
