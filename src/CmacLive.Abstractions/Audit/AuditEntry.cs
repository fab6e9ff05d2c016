namespace CmacLive.Audit;

/// <summary>
/// One change, as the audit trail keeps it: when, which signed-in user (or API key's user), on behalf of whom
/// (a <c>by</c> in the request body, kept beside the user, never instead of it), what was done and to what.
/// <see cref="Detail"/> is a short JSON text of what changed; it never holds a secret, a password or a
/// reporter's personal data (those are erased after their retention; the trail is kept for good).
/// </summary>
public sealed record AuditEntry
{
    public required DateTimeOffset At { get; init; }

    /// <summary>The signed-in user's name (<c>admin</c> for the break-glass token).</summary>
    public required string User { get; init; }

    public string? OnBehalfOf { get; init; }

    /// <summary>What was done, as <c>resource.verb</c>: <c>asset.put</c>, <c>alert.acknowledge</c>, <c>user.delete</c>.</summary>
    public required string Action { get; init; }

    /// <summary>What it was done to, as <c>kind:id</c>: <c>asset:DU5-EOD-01</c>, <c>hazard-area:BS/CHA/CMAA/60222</c>.</summary>
    public required string Target { get; init; }

    public string? Detail { get; init; }
}
