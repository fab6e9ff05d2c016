namespace CmacLive.Audit;

/// <summary>
/// The append-only audit trail, in the cluster's database (SQLite file or PostgreSQL). An append completes
/// once the entry is durable; nothing ever changes or removes an entry.
/// </summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries matching the query, newest first (entries of the same instant: the later appended first).</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken);
}
