using CmacLive.Audit;
using CmacLive.Storage.Audit;
using CmacLive.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Storage.Tests;

public sealed class SqliteAuditLogTests : AuditLogContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cmaclive-audit-" + Guid.NewGuid().ToString("N")[..12]);

    private SqliteWriteGate? _gate;

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "cmaclive.db")}";

    protected override Task CreateStoreAsync() => SqliteSchema.EnsureAsync(ConnectionString);

    protected override (IAuditLog Log, IAsyncDisposable Resources) CreateLog()
    {
        // A new log re-opens the file: no pooled connection of an earlier one is reused.
        using (var pooled = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        var gate = new SqliteWriteGate();
        _gate ??= gate;
        return (new SqliteAuditLog(ConnectionString, gate), new Disposing(gate));
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override Task DropStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_replace_over_a_stored_entry_is_refused_too()
    {
        await Log.AppendAsync(Entry(T0, "sokha", "asset.put", "asset:DU5-EOD-01"), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(
            "INSERT OR REPLACE INTO audit_entry (id, at, user_name, action, target) SELECT id, at, 'nobody', action, target FROM audit_entry"));

        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        Assert.Equal("sokha", (await Log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None)).Single().User);
    }

    [Fact]
    public async Task An_append_waits_for_the_silos_single_writer_and_can_be_cancelled_while_it_waits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = _gate!.RunAsync(() => release.Task);

        var queued = Log.AppendAsync(Entry(T0, "dara", "alert.acknowledge", "alert:1"), CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var abandoned = Log.AppendAsync(Entry(T0, "dara", "alert.acknowledge", "alert:2"), cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.False(queued.IsCompleted);
        Assert.Empty(await Log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None));
        release.SetResult();
        await holding;
        await queued;
        Assert.Equal("alert:1", (await Log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None)).Single().Target);
    }

    [Theory]
    [InlineData(null, null, "ix_audit_entry_at")]
    [InlineData("sokha", null, "ix_audit_entry_user_at")]
    [InlineData(null, "asset:DU5-EOD-01", "ix_audit_entry_target_at")]
    [InlineData("sokha", "asset:DU5-EOD-01", "ix_audit_entry_")]
    public async Task Every_read_searches_an_index_already_in_newest_first_order(string? user, string? target, string index)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        var query = Window(T0, T0.AddDays(1), user, target);
        explain.CommandText = "EXPLAIN QUERY PLAN " + AuditSql.Read(query, "$");
        foreach (var name in new[] { "$from", "$to", "$user", "$target", "$limit" })
        {
            explain.Parameters.AddWithValue(name, 1);
        }

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, p => p.StartsWith("SEARCH audit_entry USING INDEX " + index, StringComparison.Ordinal));
        Assert.DoesNotContain(plan, p => p.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_registered_log_queues_behind_the_same_writer_as_the_rest_of_the_silo()
    {
        var services = new ServiceCollection()
            .AddCmacLiveAudit(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = ConnectionString });
        await using var provider = services.BuildServiceProvider();
        var log = Assert.IsType<SqliteAuditLog>(provider.GetRequiredService<IAuditLog>());
        Assert.Same(log, provider.GetRequiredService<IAuditLog>());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = provider.GetRequiredService<SqliteWriteGate>().RunAsync(() => release.Task);

        var append = log.AppendAsync(Entry(T0, "admin", "device.put", "device:trk-0001"), CancellationToken.None);

        Assert.False(append.IsCompleted);
        release.SetResult();
        await holding;
        await append;
        Assert.Single(await log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None));
    }

    private sealed class Disposing(IDisposable resource) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            resource.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
