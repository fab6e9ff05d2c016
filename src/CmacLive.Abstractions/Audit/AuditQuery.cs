namespace CmacLive.Audit;

/// <summary>Which entries to read: those in <c>[From, To)</c>, optionally of one user and one target, newest first.</summary>
public sealed record AuditQuery
{
    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Only this user's entries (exact name).</summary>
    public string? User { get; init; }

    /// <summary>Only entries on this target (exact, <c>kind:id</c>).</summary>
    public string? Target { get; init; }

    /// <summary>At most this many, the newest.</summary>
    public int Limit { get; init; } = 1000;
}
