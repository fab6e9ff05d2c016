using CmacLive.History;
using CmacLive.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CmacLive.Storage.History;

/// <summary>History in the embedded SQLite file: one transaction of prepared inserts per batch, through the silo's write gate.</summary>
public sealed class SqliteHistorySink(string connectionString, SqliteWriteGate gate) : IHistorySink
{
    public Task WriteAsync(IReadOnlyList<FixRecord> fixes, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken) =>
        gate.RunAsync(async () =>
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using (var pragmas = connection.CreateCommand())
            {
                // A round touches a page or two per asset: a cache that holds the recent pages, and the write-ahead log
                // copied back to the file once it is 64 MB rather than 4 MB, so a page written by many rounds is copied once.
                pragmas.CommandText = "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864";
                await pragmas.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            if (fixes.Count > 0)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText =
                    "INSERT INTO history_fix (device_id, ts, asset_id, lat, lon, acc, alt, spd, hdg, bat, received_at) " +
                    "VALUES ($device, $ts, $asset, $lat, $lon, $acc, $alt, $spd, $hdg, $bat, $received) ON CONFLICT DO NOTHING";
                var p = insert.Parameters;
                var (device, ts, asset, lat, lon, acc, alt, spd, hdg, bat, received) = (p.Add("$device", SqliteType.Text),
                    p.Add("$ts", SqliteType.Integer), p.Add("$asset", SqliteType.Text), p.Add("$lat", SqliteType.Real),
                    p.Add("$lon", SqliteType.Real), p.Add("$acc", SqliteType.Real), p.Add("$alt", SqliteType.Real),
                    p.Add("$spd", SqliteType.Real), p.Add("$hdg", SqliteType.Real), p.Add("$bat", SqliteType.Integer),
                    p.Add("$received", SqliteType.Integer));
                foreach (var f in fixes)
                {
                    device.Value = f.DeviceId;
                    ts.Value = f.Ts.ToUnixTimeMilliseconds();
                    asset.Value = f.AssetId;
                    lat.Value = f.Lat;
                    lon.Value = f.Lon;
                    acc.Value = (object?)f.Acc ?? DBNull.Value;
                    alt.Value = (object?)f.Alt ?? DBNull.Value;
                    spd.Value = (object?)f.Spd ?? DBNull.Value;
                    hdg.Value = (object?)f.Hdg ?? DBNull.Value;
                    bat.Value = (object?)f.Bat ?? DBNull.Value;
                    received.Value = f.ReceivedAt.ToUnixTimeMilliseconds();
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            if (events.Count > 0)
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText =
                    "INSERT INTO history_event (device_id, kind, ts, asset_id, payload, received_at) " +
                    "VALUES ($device, $kind, $ts, $asset, $payload, $received) ON CONFLICT DO NOTHING";
                var p = insert.Parameters;
                var (device, kind, ts, asset, payload, received) = (p.Add("$device", SqliteType.Text), p.Add("$kind", SqliteType.Text),
                    p.Add("$ts", SqliteType.Integer), p.Add("$asset", SqliteType.Text), p.Add("$payload", SqliteType.Text),
                    p.Add("$received", SqliteType.Integer));
                foreach (var e in events)
                {
                    device.Value = e.DeviceId;
                    kind.Value = e.Kind;
                    ts.Value = e.Ts.ToUnixTimeMilliseconds();
                    asset.Value = e.AssetId;
                    payload.Value = e.Payload;
                    received.Value = e.ReceivedAt.ToUnixTimeMilliseconds();
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);

    public async Task<IReadOnlyList<TrackPoint>> ReadTrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText =
            "SELECT ts, lat, lon, alt, acc FROM history_fix WHERE asset_id = $asset AND ts >= $from AND ts < $to ORDER BY ts LIMIT $limit";
        query.Parameters.AddWithValue("$asset", assetId);
        query.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$limit", limit);
        var points = new List<TrackPoint>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            points.Add(new TrackPoint(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetDouble(1), reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetDouble(4)));
        }

        return points;
    }

    public async Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(string assetId, string kind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText =
            "SELECT ts, payload FROM history_event WHERE asset_id = $asset AND kind = $kind AND ts >= $from AND ts < $to ORDER BY ts LIMIT $limit";
        query.Parameters.AddWithValue("$asset", assetId);
        query.Parameters.AddWithValue("$kind", kind);
        query.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        query.Parameters.AddWithValue("$limit", limit);
        var events = new List<HistoryEvent>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new HistoryEvent(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1)));
        }

        return events;
    }
}
