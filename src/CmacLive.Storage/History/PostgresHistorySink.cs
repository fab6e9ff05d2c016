using System.Collections.Concurrent;
using CmacLive.History;
using Npgsql;
using NpgsqlTypes;

namespace CmacLive.Storage.History;

/// <summary>
/// History in PostgreSQL: a batch is one round trip per table (arrays unnested into one multi-row
/// insert that skips rows already stored), into month partitions created ahead as they are needed.
/// </summary>
public sealed class PostgresHistorySink(NpgsqlDataSource database) : IHistorySink
{
    private readonly ConcurrentDictionary<(string Table, DateTime Month), bool> _partitions = new();

    public async Task WriteAsync(IReadOnlyList<FixRecord> fixes, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await EnsurePartitionsAsync(connection, "history_fix", fixes.Select(f => f.Ts), cancellationToken);
        await EnsurePartitionsAsync(connection, "history_event", events.Select(e => e.Ts), cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (fixes.Count > 0)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO history_fix (device_id, ts, asset_id, lat, lon, acc, alt, spd, hdg, bat, received_at) " +
                "SELECT * FROM unnest(@device, @ts, @asset, @lat, @lon, @acc, @alt, @spd, @hdg, @bat, @received) ON CONFLICT DO NOTHING",
                connection, transaction);
            insert.Parameters.Add(Array("device", NpgsqlDbType.Varchar, fixes.Select(f => f.DeviceId)));
            insert.Parameters.Add(Array("ts", NpgsqlDbType.TimestampTz, fixes.Select(f => f.Ts.UtcDateTime)));
            insert.Parameters.Add(Array("asset", NpgsqlDbType.Varchar, fixes.Select(f => f.AssetId)));
            insert.Parameters.Add(Array("lat", NpgsqlDbType.Double, fixes.Select(f => f.Lat)));
            insert.Parameters.Add(Array("lon", NpgsqlDbType.Double, fixes.Select(f => f.Lon)));
            insert.Parameters.Add(Array("acc", NpgsqlDbType.Real, fixes.Select(f => (float?)f.Acc)));
            insert.Parameters.Add(Array("alt", NpgsqlDbType.Real, fixes.Select(f => (float?)f.Alt)));
            insert.Parameters.Add(Array("spd", NpgsqlDbType.Real, fixes.Select(f => (float?)f.Spd)));
            insert.Parameters.Add(Array("hdg", NpgsqlDbType.Real, fixes.Select(f => (float?)f.Hdg)));
            insert.Parameters.Add(Array("bat", NpgsqlDbType.Smallint, fixes.Select(f => (short?)f.Bat)));
            insert.Parameters.Add(Array("received", NpgsqlDbType.TimestampTz, fixes.Select(f => f.ReceivedAt.UtcDateTime)));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (events.Count > 0)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO history_event (device_id, kind, ts, asset_id, payload, received_at) " +
                "SELECT d, k, t, a, p::jsonb, r FROM unnest(@device, @kind, @ts, @asset, @payload, @received) AS x(d, k, t, a, p, r) " +
                "ON CONFLICT DO NOTHING",
                connection, transaction);
            insert.Parameters.Add(Array("device", NpgsqlDbType.Varchar, events.Select(e => e.DeviceId)));
            insert.Parameters.Add(Array("kind", NpgsqlDbType.Varchar, events.Select(e => e.Kind)));
            insert.Parameters.Add(Array("ts", NpgsqlDbType.TimestampTz, events.Select(e => e.Ts.UtcDateTime)));
            insert.Parameters.Add(Array("asset", NpgsqlDbType.Varchar, events.Select(e => e.AssetId)));
            insert.Parameters.Add(Array("payload", NpgsqlDbType.Text, events.Select(e => e.Payload)));
            insert.Parameters.Add(Array("received", NpgsqlDbType.TimestampTz, events.Select(e => e.ReceivedAt.UtcDateTime)));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TrackPoint>> ReadTrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var query = database.CreateCommand(
            "SELECT ts, lat, lon, alt, acc FROM history_fix WHERE asset_id = @asset AND ts >= @from AND ts < @to ORDER BY ts LIMIT @limit");
        query.Parameters.AddWithValue("asset", assetId);
        query.Parameters.AddWithValue("from", from.UtcDateTime);
        query.Parameters.AddWithValue("to", to.UtcDateTime);
        query.Parameters.AddWithValue("limit", limit);
        var points = new List<TrackPoint>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add(new TrackPoint(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetDouble(1), reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetFloat(3), reader.IsDBNull(4) ? null : reader.GetFloat(4)));
        }

        return points;
    }

    public async Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(string assetId, string kind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var query = database.CreateCommand(
            "SELECT ts, payload::text FROM history_event WHERE asset_id = @asset AND kind = @kind AND ts >= @from AND ts < @to ORDER BY ts LIMIT @limit");
        query.Parameters.AddWithValue("asset", assetId);
        query.Parameters.AddWithValue("kind", kind);
        query.Parameters.AddWithValue("from", from.UtcDateTime);
        query.Parameters.AddWithValue("to", to.UtcDateTime);
        query.Parameters.AddWithValue("limit", limit);
        var events = new List<HistoryEvent>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new HistoryEvent(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero), reader.GetString(1)));
        }

        return events;
    }

    /// <summary>Creates ahead the partitions of the current month and the next three.</summary>
    public async Task CreateAheadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var months = Enumerable.Range(0, 4).Select(m => now.AddMonths(m)).ToList();
        await EnsurePartitionsAsync(connection, "history_fix", months, cancellationToken);
        await EnsurePartitionsAsync(connection, "history_event", months, cancellationToken);
    }

    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, string table, IEnumerable<DateTimeOffset> times, CancellationToken cancellationToken)
    {
        foreach (var month in times.Select(t => new DateTime(t.UtcDateTime.Year, t.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc)).Distinct())
        {
            if (_partitions.ContainsKey((table, month)))
            {
                continue;
            }

            await using var create = new NpgsqlCommand("SELECT cmac_history_partition(@table, @at)", connection);
            create.Parameters.AddWithValue("table", table);
            create.Parameters.AddWithValue("at", month);
            await create.ExecuteNonQueryAsync(cancellationToken);
            _partitions[(table, month)] = true;
        }
    }

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}
