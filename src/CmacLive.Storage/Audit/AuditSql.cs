using System.Data.Common;
using CmacLive.Audit;

namespace CmacLive.Storage.Audit;

/// <summary>What both audit stores share: times cut to the millisecond in UTC, and the read's SQL from fixed pieces.</summary>
internal static class AuditSql
{
    public const string Columns = "at, user_name, on_behalf_of, action, target, detail";

    /// <summary>The instant as stored: Unix epoch milliseconds (a finer instant is cut to its millisecond).</summary>
    public static long Milliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    /// <summary>The instant as stored, as a UTC <see cref="DateTimeOffset"/>.</summary>
    public static DateTimeOffset Utc(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(Milliseconds(at));

    /// <summary>
    /// The read: entries in <c>[from, to)</c>, only the filters the query sets (so each shape has a plan of
    /// its own on its index), newest first and, within one instant, the later appended first.
    /// </summary>
    public static string Read(AuditQuery query, string parameterPrefix)
    {
        var p = parameterPrefix;
        var sql = new System.Text.StringBuilder()
            .Append("SELECT ").Append(Columns).Append(" FROM audit_entry WHERE at >= ").Append(p).Append("from AND at < ").Append(p).Append("to");
        if (query.User is not null)
        {
            sql.Append(" AND user_name = ").Append(p).Append("user");
        }

        if (query.Target is not null)
        {
            sql.Append(" AND target = ").Append(p).Append("target");
        }

        return sql.Append(" ORDER BY at DESC, id DESC LIMIT ").Append(p).Append("limit").ToString();
    }

    public static void Validate(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.User, nameof(entry.User));
        ArgumentNullException.ThrowIfNull(entry.Action, nameof(entry.Action));
        ArgumentNullException.ThrowIfNull(entry.Target, nameof(entry.Target));
    }

    public static void Validate(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query.Limit));
    }

    /// <summary>The entries a <see cref="Read"/> query answers, in its order; <paramref name="at"/> reads the time column as its database stores it.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> EntriesAsync(DbDataReader reader, Func<DbDataReader, DateTimeOffset> at, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry
            {
                At = at(reader),
                User = reader.GetString(1),
                OnBehalfOf = reader.IsDBNull(2) ? null : reader.GetString(2),
                Action = reader.GetString(3),
                Target = reader.GetString(4),
                Detail = reader.IsDBNull(5) ? null : reader.GetString(5),
            });
        }

        return entries;
    }
}
