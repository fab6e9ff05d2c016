using CmacLive.Audit;
using CmacLive.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CmacLive.Storage.Audit;

/// <summary>
/// The audit trail in the embedded SQLite file: one insert per entry, queued behind the silo's single writer,
/// complete once committed. Reads run beside the writer (WAL).
/// </summary>
public sealed class SqliteAuditLog(string connectionString, SqliteWriteGate gate) : IAuditLog
{
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        AuditSql.Validate(entry);
        return gate.RunAsync(async () =>
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"INSERT INTO audit_entry ({AuditSql.Columns}) VALUES ($at, $user, $onBehalfOf, $action, $target, $detail)";
            insert.Parameters.Add("$at", SqliteType.Integer).Value = AuditSql.Milliseconds(entry.At);
            insert.Parameters.Add("$user", SqliteType.Text).Value = entry.User;
            insert.Parameters.Add("$onBehalfOf", SqliteType.Text).Value = (object?)entry.OnBehalfOf ?? DBNull.Value;
            insert.Parameters.Add("$action", SqliteType.Text).Value = entry.Action;
            insert.Parameters.Add("$target", SqliteType.Text).Value = entry.Target;
            insert.Parameters.Add("$detail", SqliteType.Text).Value = (object?)entry.Detail ?? DBNull.Value;
            // One statement outside a transaction commits on its own: done here means durable.
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        AuditSql.Validate(query);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = AuditSql.Read(query, "$");
        select.Parameters.Add("$from", SqliteType.Integer).Value = AuditSql.Milliseconds(query.From);
        select.Parameters.Add("$to", SqliteType.Integer).Value = AuditSql.Milliseconds(query.To);
        if (query.User is not null)
        {
            select.Parameters.Add("$user", SqliteType.Text).Value = query.User;
        }

        if (query.Target is not null)
        {
            select.Parameters.Add("$target", SqliteType.Text).Value = query.Target;
        }

        select.Parameters.Add("$limit", SqliteType.Integer).Value = query.Limit;
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await AuditSql.EntriesAsync(reader, r => DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)), cancellationToken);
    }
}
