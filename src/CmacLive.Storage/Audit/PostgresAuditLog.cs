using CmacLive.Audit;
using Npgsql;
using NpgsqlTypes;

namespace CmacLive.Storage.Audit;

/// <summary>
/// The audit trail in PostgreSQL: one insert per entry, complete once committed, on the silo's history
/// connections (audit volume is human actions, a few a minute).
/// </summary>
public sealed class PostgresAuditLog(NpgsqlDataSource database) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        AuditSql.Validate(entry);
        await using var insert = database.CreateCommand(
            $"INSERT INTO audit_entry ({AuditSql.Columns}) VALUES (@at, @user, @onBehalfOf, @action, @target, @detail)");
        insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = AuditSql.Utc(entry.At) });
        insert.Parameters.Add(Text("user", entry.User));
        insert.Parameters.Add(Text("onBehalfOf", entry.OnBehalfOf));
        insert.Parameters.Add(Text("action", entry.Action));
        insert.Parameters.Add(Text("target", entry.Target));
        insert.Parameters.Add(Text("detail", entry.Detail));
        // One statement outside a transaction commits on its own: done here means durable.
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        AuditSql.Validate(query);
        await using var select = database.CreateCommand(AuditSql.Read(query, "@"));
        select.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = AuditSql.Utc(query.From) });
        select.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = AuditSql.Utc(query.To) });
        if (query.User is not null)
        {
            select.Parameters.Add(Text("user", query.User));
        }

        if (query.Target is not null)
        {
            select.Parameters.Add(Text("target", query.Target));
        }

        select.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = query.Limit });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await AuditSql.EntriesAsync(reader, r => r.GetFieldValue<DateTimeOffset>(0), cancellationToken);
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
}
