using CmacLive.Audit;
using CmacLive.Storage.Postgres;
using CmacLive.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace CmacLive.Storage.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// The append-only audit trail (<see cref="IAuditLog"/>, a singleton) on the same database as grain state.
    /// SQLite: its inserts queue behind the silo's single writer of the file. PostgreSQL: it shares the
    /// history's connections (<see cref="PostgresPools.History"/>), so it opens none of its own.
    /// The table is part of the schema that <see cref="StorageSiloBuilderExtensions.AddCmacLiveStorage"/> puts
    /// in place first in silo start-up, before any hosted service after the silo, or the web server, runs.
    /// </summary>
    public static IServiceCollection AddCmacLiveAudit(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = options.EffectiveConnectionString;
        if (options.Provider == StorageProvider.Sqlite)
        {
            services.TryAddSingleton<SqliteWriteGate>();
            services.AddSingleton<IAuditLog>(sp => new SqliteAuditLog(connectionString, sp.GetRequiredService<SqliteWriteGate>()));
            return services;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException("Storage:Provider 'Postgres' needs Storage:ConnectionString.");
        }

        // The history's data source, whichever of the two registers first (history adds its own registration
        // unconditionally, and the last one registered is the one resolved: either way there is one pool).
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(PostgresPools.Limit(connectionString, PostgresPools.History)));
        services.AddSingleton<IAuditLog>(sp => new PostgresAuditLog(sp.GetRequiredService<NpgsqlDataSource>()));
        return services;
    }
}
