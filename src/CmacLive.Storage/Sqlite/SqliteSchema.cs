using Microsoft.Data.Sqlite;

namespace CmacLive.Storage.Sqlite;

/// <summary>Creates the embedded store's tables and (re)writes its named queries; safe to run at every start.</summary>
public static class SqliteSchema
{
    public static async Task EnsureAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode is not SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource)
            && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await MoveFixHistoryAsync(connection, cancellationToken);
        await using (var schema = connection.CreateCommand())
        {
            schema.CommandText = SqlScript.Load("Sqlite.schema.sql");
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (key, text) in SqlScript.NamedQueries("Sqlite.queries.sql"))
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText =
                "INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text) " +
                "ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText";
            upsert.Parameters.AddWithValue("@key", key);
            upsert.Parameters.AddWithValue("@text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A file of an earlier version keeps fixes keyed by device with a second index by asset: its rows move, in one
    /// transaction, to the table keyed by asset and time (every row kept; the same fix twice is one row).
    /// </summary>
    private static async Task MoveFixHistoryAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var probe = connection.CreateCommand())
        {
            probe.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_history_fix_asset_ts'";
            if (Convert.ToInt64(await probe.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return;
            }
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var move = connection.CreateCommand())
        {
            move.Transaction = transaction;
            move.CommandText = """
                ALTER TABLE history_fix RENAME TO history_fix_by_device;
                CREATE TABLE history_fix
                (
                    device_id TEXT NOT NULL, ts INTEGER NOT NULL, asset_id TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
                    acc REAL NULL, alt REAL NULL, spd REAL NULL, hdg REAL NULL, bat INTEGER NULL, received_at INTEGER NOT NULL,
                    PRIMARY KEY (asset_id, ts, device_id)
                ) WITHOUT ROWID;
                INSERT OR IGNORE INTO history_fix (device_id, ts, asset_id, lat, lon, acc, alt, spd, hdg, bat, received_at)
                    SELECT device_id, ts, asset_id, lat, lon, acc, alt, spd, hdg, bat, received_at FROM history_fix_by_device
                    ORDER BY asset_id, ts, device_id;
                DROP TABLE history_fix_by_device;
                """;
            await move.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The folder that holds the database file (where other local data such as the admin token lives too).</summary>
    public static string DataFolder(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = string.IsNullOrEmpty(source) ? null : Path.GetDirectoryName(Path.GetFullPath(source));
        return folder ?? Path.GetFullPath("data");
    }
}
