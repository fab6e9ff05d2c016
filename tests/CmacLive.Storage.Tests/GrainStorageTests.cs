using CmacLive.Audit;
using CmacLive.Storage.Audit;
using CmacLive.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace CmacLive.Storage.Tests;

[GenerateSerializer]
public sealed class Counter
{
    [Id(0)] public int Value { get; set; }
}

/// <summary>
/// The product's schema and named queries under Orleans' own ADO.NET grain storage provider, exercised
/// through the provider as the grains use it: ETags, conflicts, clear, and keys that would collide
/// without the full grain id. Run once per database kind.
/// </summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    protected abstract Task<StorageOptions> CreateStoreAsync();

    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    protected virtual Task DropStoreAsync() => Task.CompletedTask;

    protected InProcessTestCluster Cluster => _cluster;

    private IGrainStorage Storage => _cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);

    public async Task InitializeAsync()
    {
        var options = await CreateStoreAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddCmacLiveStorage(options);
            silo.Services.AddCmacLiveAudit(options);
            ConfigureSilo(silo);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        await DropStoreAsync();
    }

    private static GrainState<Counter> State(int value, string? etag = null) => new(new Counter { Value = value }) { ETag = etag };

    [Fact]
    public async Task Writes_advance_the_etag_and_a_stale_or_missing_etag_is_a_conflict()
    {
        var id = GrainId.Create("team", "DU5-EOD-01");
        var state = State(1);

        await Storage.WriteStateAsync("asset", id, state);
        Assert.Equal("1", state.ETag);
        state.State!.Value = 2;
        await Storage.WriteStateAsync("asset", id, state);
        Assert.Equal("2", state.ETag);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("asset", id, State(3, "1")));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("asset", id, State(3)));

        var read = State(0);
        await Storage.ReadStateAsync("asset", id, read);
        Assert.Equal((2, "2", true), (read.State!.Value, read.ETag, read.RecordExists));
    }

    [Fact]
    public async Task Clear_keeps_a_versioned_empty_record_that_later_writes_still_check()
    {
        var id = GrainId.Create("device", "trk-0001");
        var state = State(7);
        await Storage.WriteStateAsync("device", id, state);

        await Storage.ClearStateAsync("device", id, state);
        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);

        var read = State(99);
        await Storage.ReadStateAsync("device", id, read);
        Assert.Equal((0, "2", false), (read.State!.Value, read.ETag, read.RecordExists));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("device", id, State(1, "1")));
        read.State!.Value = 8;
        await Storage.WriteStateAsync("device", id, read);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task The_audit_trail_is_ready_on_a_fresh_database_once_the_silo_has_started()
    {
        var log = _cluster.GetSiloServiceProvider().GetRequiredService<IAuditLog>();
        var at = new DateTimeOffset(2025, 3, 14, 8, 0, 0, TimeSpan.Zero);

        await log.AppendAsync(new AuditEntry { At = at, User = "admin", Action = "asset.put", Target = "asset:DU5-EOD-01" }, CancellationToken.None);

        var read = await log.ReadAsync(new AuditQuery { From = at, To = at.AddSeconds(1) }, CancellationToken.None);
        Assert.Equal("asset:DU5-EOD-01", read.Single().Target);
    }

    [Fact]
    public async Task Hex_looking_ids_and_one_id_of_two_grain_types_never_share_a_row()
    {
        var keys = new[] { GrainId.Create("device", "00A1B2"), GrainId.Create("device", "A1B2"), GrainId.Create("team", "X1"), GrainId.Create("dog", "X1") };
        for (var i = 0; i < keys.Length; i++)
        {
            await Storage.WriteStateAsync("asset", keys[i], State(i + 10));
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var read = State(0);
            await Storage.ReadStateAsync("asset", keys[i], read);
            Assert.Equal(i + 10, read.State!.Value);
        }
    }
}

public sealed class SqliteGrainStorageTests : GrainStorageContract
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cmaclive-storage-" + Guid.NewGuid().ToString("N")[..12]);

    private string ConnectionString => $"Data Source={Path.Combine(_folder, "state.db")}";

    protected override Task<StorageOptions> CreateStoreAsync() =>
        Task.FromResult(new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = ConnectionString });

    protected override Task DropStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private IGrainStorage Storage => Cluster.GetSiloServiceProvider().GetRequiredKeyedService<IGrainStorage>(StorageNames.Main);

    private static GrainState<Counter> State(int value, string? etag = null) => new(new Counter { Value = value }) { ETag = etag };

    [Theory]
    [InlineData("ReadFromStorageKey")]
    [InlineData("WriteToStorageKey")]
    [InlineData("ClearStorageKey")]
    public async Task Every_named_query_finds_its_row_through_the_identity_index(string key)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var get = connection.CreateCommand();
        get.CommandText = "SELECT QueryText FROM OrleansQuery WHERE QueryKey = $key";
        get.Parameters.AddWithValue("$key", key);
        var text = (string)(await get.ExecuteScalarAsync())!;

        // Every statement that looks a state up must search the unique index on the whole identity, never scan.
        foreach (var statement in text.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(s => s.Contains("WHERE", StringComparison.Ordinal)
            && s.Contains("GrainIdN0 =", StringComparison.Ordinal)))
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + statement;
            foreach (var name in new[] { "ServiceId", "GrainTypeString", "GrainIdN0", "GrainIdN1", "GrainIdExtensionString", "GrainIdHash", "GrainTypeHash", "PayloadBinary", "GrainStateVersion" })
            {
                explain.Parameters.AddWithValue("@" + name, DBNull.Value);
            }

            var plan = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }

            Assert.Contains(plan, p => p.Contains("UX_OrleansStorage_Identity", StringComparison.Ordinal)
                && p.Contains("<expr>=?", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, p => p.StartsWith("SCAN", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_schema_step_can_run_again_over_existing_state()
    {
        var id = GrainId.Create("team", "again");
        await Storage.WriteStateAsync("asset", id, State(5));

        await SqliteSchema.EnsureAsync(ConnectionString);

        var read = State(0);
        await Storage.ReadStateAsync("asset", id, read);
        Assert.Equal(5, read.State!.Value);
    }
}
