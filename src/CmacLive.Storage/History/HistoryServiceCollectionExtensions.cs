using CmacLive.History;
using CmacLive.Storage.Postgres;
using CmacLive.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CmacLive.Storage.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>The history store on the same database as grain state: SQLite embedded, PostgreSQL in production.</summary>
    public static IServiceCollection AddCmacLiveHistory(this IServiceCollection services, StorageOptions options)
    {
        var connectionString = options.EffectiveConnectionString;
        services.TryAddSingleton<SqliteWriteGate>();
        if (options.Provider == StorageProvider.Sqlite)
        {
            services.AddSingleton<IHistorySink>(sp => new SqliteHistorySink(connectionString, sp.GetRequiredService<SqliteWriteGate>()));
        }
        else
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(PostgresPools.Limit(connectionString, PostgresPools.History)));
            services.AddSingleton<PostgresHistorySink>();
            services.AddSingleton<IHistorySink>(sp => sp.GetRequiredService<PostgresHistorySink>());
            services.AddHostedService<PartitionsAhead>();
        }

        services.AddSingleton<BatchingHistoryStore>();
        services.AddSingleton<IHistoryStore>(sp => sp.GetRequiredService<BatchingHistoryStore>());
        services.AddHostedService(sp => sp.GetRequiredService<BatchingHistoryStore>());
        return services;
    }

    /// <summary>Keeps the month partitions of the coming months in place, checking twice a day.</summary>
    private sealed class PartitionsAhead(PostgresHistorySink sink, TimeProvider time) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromHours(12), time);
            do
            {
                try
                {
                    await sink.CreateAheadAsync(time.GetUtcNow(), stoppingToken);
                }
                catch (Exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Writes create any partition they miss; this is only ahead-of-time work.
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
    }
}
