using CmacLive.Storage.Postgres;
using CmacLive.Testing;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace CmacLive.Storage.Tests;

public sealed class PostgresGrainStorageTests : GrainStorageContract
{
    private string _connectionString = "";

    protected override async Task<StorageOptions> CreateStoreAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("cmac_storage");
        return new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = _connectionString };
    }

    protected override void ConfigureSilo(ISiloBuilder silo)
    {
        silo.AddCmacLivePostgresReminders(_connectionString);
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        silo.Services.AddSingleton<ReminderLog>();
    }

    [Fact]
    public async Task The_schema_step_is_idempotent_and_safe_to_run_from_several_silos_at_once()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresSchema.EnsureAsync(_connectionString)));

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleansquery", connection);
        Assert.Equal(19L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_durable_reminder_is_stored_in_postgresql_and_fires()
    {
        var grain = Cluster.Client.GetGrain<IReminderProbeGrain>("probe-1");

        await grain.Start(TimeSpan.FromSeconds(1));

        var log = Cluster.GetSiloServiceProvider().GetRequiredService<ReminderLog>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await log.Fired.WaitAsync(timeout.Token);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var rows = new NpgsqlCommand("SELECT remindername FROM orleansreminderstable WHERE grainid LIKE '%probe-1'", connection);
        Assert.Equal("tick", (string)(await rows.ExecuteScalarAsync())!);

        await grain.Stop();
        await using var after = new NpgsqlCommand("SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%probe-1'", connection);
        Assert.Equal(0L, (long)(await after.ExecuteScalarAsync())!);
    }
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Start(TimeSpan period);

    Task Stop();
}

/// <summary>Records, for the test, that a reminder reached its grain.</summary>
public sealed class ReminderLog
{
    private readonly TaskCompletionSource _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Fired => _fired.Task;

    public void Record() => _fired.TrySetResult();
}

public sealed class ReminderProbeGrain(ReminderLog log) : Grain, IReminderProbeGrain, IRemindable
{
    public Task Start(TimeSpan period) => this.RegisterOrUpdateReminder("tick", TimeSpan.FromSeconds(1), period);

    public async Task Stop()
    {
        if (await this.GetReminder("tick") is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        log.Record();
        return Task.CompletedTask;
    }
}
