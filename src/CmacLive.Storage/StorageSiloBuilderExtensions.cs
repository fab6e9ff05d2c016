using CmacLive.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;

namespace CmacLive.Storage;

public static class StorageSiloBuilderExtensions
{
    private const string AdoNetProviderName = StorageNames.Main + "-adonet";
    private const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>
    /// Grain state through Orleans ADO.NET persistence: on SQLite for the embedded default. The schema and
    /// named queries are created before the storage provider starts; state is serialized with Orleans' own
    /// version-tolerant binary format.
    /// </summary>
    public static ISiloBuilder AddCmacLiveStorage(this ISiloBuilder silo, StorageOptions options)
    {
        if (options.Provider != StorageProvider.Sqlite)
        {
            throw new NotSupportedException($"Storage:Provider '{options.Provider}' is not available in this build; use 'Sqlite'.");
        }

        var connectionString = options.EffectiveConnectionString;
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new SchemaBootstrap(() => SqliteSchema.EnsureAsync(connectionString), sp.GetRequiredService<ILogger<SchemaBootstrap>>()));
        silo.AddAdoNetGrainStorage(AdoNetProviderName, builder => builder.Configure<Serializer>((o, serializer) =>
        {
            o.Invariant = SqliteInvariant;
            o.ConnectionString = connectionString;
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Main, (sp, _) =>
            new GrainTypeScopedStorage(new SingleWriterStorage(sp.GetRequiredKeyedService<IGrainStorage>(AdoNetProviderName))));
        return silo;
    }

    /// <summary>Runs the schema step early in silo start-up, before any storage provider initializes.</summary>
    private sealed class SchemaBootstrap(Func<Task> ensure, ILogger<SchemaBootstrap> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaBootstrap), ServiceLifecycleStage.RuntimeInitialize, async _ =>
            {
                await ensure();
                logger.LogInformation("Storage schema is in place");
            });
    }
}
