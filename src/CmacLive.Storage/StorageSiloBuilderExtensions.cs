using CmacLive.Storage.Postgres;
using CmacLive.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace CmacLive.Storage;

public static partial class StorageSiloBuilderExtensions
{
    private const string AdoNetProviderName = StorageNames.Main + "-adonet";
    private const string SqliteInvariant = "System.Data.SQLite";
    private const string PostgresInvariant = "Npgsql";

    /// <summary>
    /// Grain state through Orleans ADO.NET persistence: on SQLite for the embedded default, on PostgreSQL
    /// in production. The schema and named queries are created before the provider starts; state is
    /// serialized with Orleans' own version-tolerant binary format.
    /// </summary>
    public static ISiloBuilder AddCmacLiveStorage(this ISiloBuilder silo, StorageOptions options)
    {
        var sqlite = options.Provider == StorageProvider.Sqlite;
        if (!sqlite && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new InvalidOperationException("Storage:Provider 'Postgres' needs Storage:ConnectionString.");
        }

        var connectionString = sqlite ? options.EffectiveConnectionString : PostgresPools.Limit(options.EffectiveConnectionString, PostgresPools.Orleans);
        silo.Services.TryAddSingleton<SqliteWriteGate>();
        silo.AddSchemaStep(sqlite ? () => SqliteSchema.EnsureAsync(connectionString) : () => PostgresSchema.EnsureAsync(connectionString));
        silo.AddAdoNetGrainStorage(AdoNetProviderName, builder => builder.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = sqlite ? SqliteInvariant : PostgresInvariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Main, (sp, _) =>
        {
            var adoNet = sp.GetRequiredKeyedService<IGrainStorage>(AdoNetProviderName);
            return new GrainTypeScopedStorage(sqlite ? new SingleWriterStorage(adoNet, sp.GetRequiredService<SqliteWriteGate>()) : adoNet);
        });
        return silo;
    }

    /// <summary>
    /// An Orleans cluster of several silos on PostgreSQL: ADO.NET membership and durable reminders, with
    /// the product's own schema and named queries.
    /// </summary>
    public static ISiloBuilder AddCmacLivePostgresCluster(this ISiloBuilder silo, string connectionString)
    {
        connectionString = PostgresPools.Limit(connectionString, PostgresPools.Orleans);
        silo.AddSchemaStep(() => PostgresSchema.EnsureAsync(connectionString));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        return silo.AddCmacLivePostgresReminders(connectionString);
    }

    /// <summary>
    /// Durable reminders where grain state lives: on the SQLite file (its writes queue behind the silo's
    /// single writer) or on PostgreSQL. A cluster on PostgreSQL has its reminders from
    /// <see cref="AddCmacLivePostgresCluster"/> instead.
    /// </summary>
    public static ISiloBuilder AddCmacLiveReminders(this ISiloBuilder silo, StorageOptions options)
    {
        if (options.Provider != StorageProvider.Sqlite)
        {
            return silo.AddCmacLivePostgresReminders(options.EffectiveConnectionString);
        }

        var connectionString = options.EffectiveConnectionString;
        silo.Services.TryAddSingleton<SqliteWriteGate>();
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = SqliteInvariant;
            o.ConnectionString = connectionString;
        });

        // The ADO.NET table is registered by its own (internal) type; wrap whatever was registered.
        var registered = silo.Services.Last(d => d.ServiceType == typeof(IReminderTable));
        silo.Services.Remove(registered);
        silo.Services.AddSingleton<IReminderTable>(sp => new SingleWriterReminderTable(
            registered.ImplementationType is { } type
                ? (IReminderTable)ActivatorUtilities.CreateInstance(sp, type)
                : (IReminderTable)registered.ImplementationFactory!(sp),
            sp.GetRequiredService<SqliteWriteGate>()));
        return silo;
    }

    /// <summary>Durable reminders on PostgreSQL.</summary>
    public static ISiloBuilder AddCmacLivePostgresReminders(this ISiloBuilder silo, string connectionString)
    {
        connectionString = PostgresPools.Limit(connectionString, PostgresPools.Orleans);
        silo.AddSchemaStep(() => PostgresSchema.EnsureAsync(connectionString));
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = PostgresInvariant;
            o.ConnectionString = connectionString;
        });
        return silo;
    }

    private static void AddSchemaStep(this ISiloBuilder silo, Func<Task> ensure) =>
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new SchemaBootstrap(ensure, sp.GetRequiredService<ILogger<SchemaBootstrap>>()));

    /// <summary>Runs a schema step first in silo start-up, before membership or any storage provider initializes.</summary>
    private sealed partial class SchemaBootstrap(Func<Task> ensure, ILogger<SchemaBootstrap> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaBootstrap), ServiceLifecycleStage.RuntimeInitialize - 100, async _ =>
            {
                await ensure();
                LogSchemaReady();
            });

        [LoggerMessage(LogLevel.Information, "Storage schema is in place")]
        private partial void LogSchemaReady();
    }
}
