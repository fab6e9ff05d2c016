using CmacLive.History;
using CmacLive.Storage.History;
using CmacLive.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CmacLive.Storage.Tests;

public sealed class SqliteSchemaTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cmaclive-schema-" + Guid.NewGuid().ToString("N")[..12]);

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "cmaclive.db")}";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_file_of_an_earlier_version_keeps_every_fix_in_the_table_keyed_by_asset_and_time()
    {
        Directory.CreateDirectory(_folder);
        var t0 = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000);
        await ExecuteAsync("""
            CREATE TABLE history_fix (device_id TEXT NOT NULL, ts INTEGER NOT NULL, asset_id TEXT NOT NULL, lat REAL NOT NULL,
                lon REAL NOT NULL, acc REAL NULL, alt REAL NULL, spd REAL NULL, hdg REAL NULL, bat INTEGER NULL,
                received_at INTEGER NOT NULL, PRIMARY KEY (device_id, ts)) WITHOUT ROWID;
            CREATE INDEX ix_history_fix_asset_ts ON history_fix (asset_id, ts);
            INSERT INTO history_fix VALUES ('trk-1', 1790000000000, 'DU5-T-01', 12.5, 102.9, 4, NULL, NULL, NULL, 80, 1790000000100);
            INSERT INTO history_fix VALUES ('trk-1', 1790000001000, 'DU5-T-01', 12.6, 102.9, NULL, 30, 1.5, 90, NULL, 1790000001100);
            INSERT INTO history_fix VALUES ('trk-2', 1790000000000, 'DU5-T-02', 13.5, 103.9, 4, NULL, NULL, NULL, NULL, 1790000000100);
            """);

        await SqliteSchema.EnsureAsync(ConnectionString);
        await SqliteSchema.EnsureAsync(ConnectionString); // at every start: moved once

        using var gate = new SqliteWriteGate();
        var sink = new SqliteHistorySink(ConnectionString, gate);
        var track = await sink.ReadTrackAsync("DU5-T-01", t0, t0.AddMinutes(1), 10, CancellationToken.None);
        Assert.Equal([(12.5, (double?)4), (12.6, null)], track.Select(p => (p.Lat, p.Acc)));
        Assert.Equal(30, track[1].Alt);
        Assert.Single(await sink.ReadTrackAsync("DU5-T-02", t0, t0.AddMinutes(1), 10, CancellationToken.None));

        // The same fix again is one row; the old table and its index are gone.
        await sink.WriteAsync([new FixRecord("DU5-T-01", "trk-1", t0, 12.5, 102.9, 4, null, null, null, 80, t0)], [], CancellationToken.None);
        Assert.Equal(2, (await sink.ReadTrackAsync("DU5-T-01", t0, t0.AddMinutes(1), 10, CancellationToken.None)).Count);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name IN ('history_fix_by_device', 'ix_history_fix_asset_ts')"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
