using CmacLive.Audit;
using CmacLive.Storage.Audit;
using CmacLive.Storage.History;
using CmacLive.Storage.Postgres;
using CmacLive.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CmacLive.Storage.Tests;

public sealed class PostgresAuditLogTests : AuditLogContract
{
    private string _connectionString = "";

    protected override async Task CreateStoreAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("cmac_audit");
        await PostgresSchema.EnsureAsync(_connectionString);
    }

    protected override (IAuditLog Log, IAsyncDisposable Resources) CreateLog()
    {
        var database = NpgsqlDataSource.Create(PostgresPools.Limit(_connectionString, PostgresPools.History));
        return (new PostgresAuditLog(database), database);
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Theory]
    [InlineData("TRUNCATE audit_entry")]
    [InlineData("UPDATE audit_entry SET user_name = 'nobody' WHERE false")]
    [InlineData("DELETE FROM audit_entry WHERE id < 0")]
    [InlineData("INSERT INTO audit_entry (id, at, user_name, action, target) OVERRIDING SYSTEM VALUE " +
                "SELECT id, at, 'nobody', action, target FROM audit_entry ON CONFLICT (id) DO UPDATE SET user_name = excluded.user_name")]
    public async Task A_truncate_an_upsert_and_even_a_change_of_no_row_are_refused(string sql)
    {
        await Log.AppendAsync(Entry(T0, "sokha", "asset.put", "asset:DU5-EOD-01"), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(sql));

        Assert.Equal((PostgresErrorCodes.InsufficientPrivilege, true), (refused.SqlState, refused.MessageText.Contains("append-only", StringComparison.Ordinal)));
        Assert.Equal("sokha", (await Log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None)).Single().User);
    }

    [Fact]
    public async Task The_schema_step_runs_again_and_from_several_silos_at_once_over_a_kept_trail()
    {
        await Log.AppendAsync(Entry(T0, "sokha", "asset.put", "asset:DU5-EOD-01"), CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresSchema.EnsureAsync(_connectionString)));

        Assert.Single(await Log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None));
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("DELETE FROM audit_entry"));
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var triggers = new NpgsqlCommand("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_entry'::regclass", connection);
        Assert.Equal(1L, (long)(await triggers.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData(null, null, "ix_audit_entry_at")]
    [InlineData("sokha", null, "ix_audit_entry_user_at")]
    [InlineData(null, "asset:DU5-EOD-01", "ix_audit_entry_target_at")]
    public async Task Every_read_walks_an_index_already_in_newest_first_order(string? user, string? target, string index)
    {
        var query = Window(T0, T0.AddDays(1), user, target);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        // An empty table is scanned whatever its indexes; ask for the plan as if the table were large.
        await using (var noScan = new NpgsqlCommand("SET enable_seqscan = off; SET enable_bitmapscan = off", connection))
        {
            await noScan.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + AuditSql.Read(query, "@"), connection);
        explain.Parameters.AddWithValue("from", T0.UtcDateTime);
        explain.Parameters.AddWithValue("to", T0.AddDays(1).UtcDateTime);
        explain.Parameters.AddWithValue("user", user ?? "");
        explain.Parameters.AddWithValue("target", target ?? "");
        explain.Parameters.AddWithValue("limit", 1000);
        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        Assert.Contains(plan, p => p.Contains("Index Scan Backward using " + index + " ", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, p => p.Contains("Sort", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_registered_log_shares_the_history_connections()
    {
        var options = new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _connectionString };
        var auditFirst = new ServiceCollection().AddCmacLiveAudit(options).AddCmacLiveHistory(options);
        var historyFirst = new ServiceCollection().AddCmacLiveHistory(options).AddCmacLiveAudit(options);

        foreach (var services in new[] { auditFirst, historyFirst })
        {
            await using var provider = services.BuildServiceProvider();
            var log = Assert.IsType<PostgresAuditLog>(provider.GetRequiredService<IAuditLog>());
            await log.AppendAsync(Entry(T0, "admin", "device.put", "device:trk-0001"), CancellationToken.None);
            var database = provider.GetRequiredService<NpgsqlDataSource>();
            Assert.Equal(PostgresPools.History, new NpgsqlConnectionStringBuilder(database.ConnectionString).MaxPoolSize);

            // The log's connections are the history's: once that data source is gone, so is the log's.
            await database.DisposeAsync();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => log.AppendAsync(Entry(T0, "admin", "device.put", "device:trk-0002"), CancellationToken.None));
        }

        Assert.Equal(2, (await Log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None)).Count);
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddCmacLiveAudit(new StorageOptions { Provider = StorageProvider.Postgres }));
    }
}
