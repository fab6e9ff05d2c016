using Npgsql;

namespace CmacLive.Storage.Postgres;

/// <summary>
/// Creates the production store's tables and (re)writes its named queries; safe to run at every start,
/// also by several silos at once (they take turns under an advisory lock).
/// </summary>
public static class PostgresSchema
{
    /// <summary>An arbitrary, fixed advisory lock key: "CMACLIVE" in ASCII.</summary>
    private const long SchemaLock = 0x434D_4143_4C49_5645;

    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", SchemaLock);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var schema = new NpgsqlCommand(SqlScript.Load("Postgres.schema.sql"), connection, transaction))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (key, text) in SqlScript.NamedQueries("Postgres.queries.sql"))
        {
            await using var upsert = new NpgsqlCommand(
                "INSERT INTO orleansquery (querykey, querytext) VALUES (@key, @text) " +
                "ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext", connection, transaction);
            upsert.Parameters.AddWithValue("key", key);
            upsert.Parameters.AddWithValue("text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
