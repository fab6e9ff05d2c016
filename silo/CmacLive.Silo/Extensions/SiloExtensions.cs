using CmacLive.Api;
using CmacLive.Api.Auth;
using CmacLive.Api.Hubs;
using CmacLive.Api.Http;
using CmacLive.Ingestion;
using CmacLive.Ingestion.Phones;
using CmacLive.Storage;
using CmacLive.Storage.Audit;
using CmacLive.Storage.History;
using CmacLive.Storage.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using System.Net;
using Orleans.Configuration;

namespace CmacLive.Silo.Extensions;

public static class SiloExtensions
{
    /// <summary>The Orleans silo: clustering, grain storage and the grains' own services.</summary>
    public static WebApplicationBuilder AddCmacLiveSilo(this WebApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection(SiloClusterOptions.Section).Get<SiloClusterOptions>() ?? new SiloClusterOptions();
        var storage = StorageOf(builder.Configuration);
        var postgresCluster = string.Equals(cluster.Provider, "Postgres", StringComparison.OrdinalIgnoreCase);
        if (!postgresCluster && !string.Equals(cluster.Provider, "Localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"Cluster:Provider '{cluster.Provider}' is not known; use 'Localhost' or 'Postgres'.");
        }

        var tls = ClusterTls.Load(cluster.Tls);

        builder.UseOrleans(silo =>
        {
            if (postgresCluster)
            {
                var connectionString = string.IsNullOrWhiteSpace(cluster.ConnectionString) ? storage.ConnectionString : cluster.ConnectionString;
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException("Cluster:Provider 'Postgres' needs Cluster:ConnectionString (or Storage:ConnectionString).");
                }

                silo.AddCmacLivePostgresCluster(connectionString);
                if (cluster.AdvertisedAddress is { Length: > 0 } address)
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(address), cluster.SiloPort, cluster.GatewayPort);
                }
                else
                {
                    silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort);
                }
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
            }

            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = cluster.ProbeTimeout;
                o.NumMissedProbesLimit = cluster.MissedProbesLimit;
                o.NumVotesForDeathDeclaration = cluster.DeathVotes;
                o.ExtendProbeTimeoutDuringDegradation = true;
                o.EnableIndirectProbes = true;
            });
            tls?.ApplyTo(silo);
            silo.AddCmacLiveMonitoring(builder.Configuration);
            silo.AddCmacLiveStorage(storage);
            if (!postgresCluster)
            {
                silo.AddCmacLiveReminders(storage);
            }

        });
        builder.Services.AddCmacLiveGrains(builder.Configuration);
        builder.Services.AddCmacLiveHistory(storage);
        builder.Services.AddCmacLiveAudit(storage);
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster").AddCheck<HistoryHealthCheck>("history");
        return builder;
    }

    /// <summary>The <c>Storage</c> section, read by the silo (grain state, history, audit) and the API (the data folder).</summary>
    private static StorageOptions StorageOf(IConfiguration configuration) =>
        configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();

    /// <summary>The MQTT side.</summary>
    public static WebApplicationBuilder AddCmacLiveIngestion(this WebApplicationBuilder builder)
    {
        builder.Services.AddCmacLiveIngestion(builder.Configuration);
        return builder;
    }

    /// <summary>REST, hub and auth; the admin token is resolved (and, on first start, created and printed) here.</summary>
    public static WebApplicationBuilder AddCmacLiveApi(this WebApplicationBuilder builder)
    {
        var storage = StorageOf(builder.Configuration);
        var dataFolder = storage.Provider == StorageProvider.Sqlite
            ? SqliteSchema.DataFolder(storage.EffectiveConnectionString)
            : Path.GetFullPath("data");
        var token = AdminToken.Resolve(builder.Configuration["Auth:AdminToken"], dataFolder);
        if (token.Generated)
        {
            Console.WriteLine($"Admin token (shown once, saved to {token.Path}): {token.Value}");
        }

        builder.Services.AddCmacLiveApi(builder.Configuration, token, dataFolder);
        builder.Services.AddHealthChecks().AddCheck<HubHealthCheck>("hub").AddCheck<SigningKeysHealthCheck>("signing-keys");
        builder.Services.AddSingleton(new ReadyBanner.Settings(token.Path, dataFolder));
        builder.Services.AddHostedService<ReadyBanner>();
        return builder;
    }

    public static WebApplication MapCmacLive(this WebApplication app)
    {
        app.UseCmacLivePhones(); // the phones' port answers them only, before anything else
        app.UseExceptionHandler();
        app.UseCmacLiveSecurityHeaders();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseCmacLiveAddressThrottle();
        app.UseAuthorization();
        app.MapHealthChecks("/health");
        app.MapCmacLiveApi();
        app.MapIngestStats().RequireAuthorization(Policies.Read)
            .WithTags("Operations").WithName("GetIngestStats").WithSummary("This silo's counts of accepted and refused uplinks");
        app.MapCmacLiveMonitoring();
        return app;
    }

    /// <summary>Degraded while history writes fail (acknowledgements are then held back until they succeed).</summary>
    private sealed class HistoryHealthCheck(BatchingHistoryStore history) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(history.IsHealthy
                ? HealthCheckResult.Healthy($"{history.Written.Records} records in {history.Written.Batches} batches")
                : HealthCheckResult.Degraded("history writes are failing; uplinks are not acknowledged until they succeed"));
    }

    /// <summary>Unhealthy until the cluster's feeds send this silo's hub every update (a second or so after start).</summary>
    private sealed class HubHealthCheck(OpsHubRelay relay) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(relay.IsReady
                ? HealthCheckResult.Healthy("registered with the cluster's live feeds")
                : HealthCheckResult.Unhealthy("not yet registered with the cluster's live feeds"));
    }

    /// <summary>Unhealthy until this silo has read the cluster's token signing keys (it could not check a signed-in user's token before).</summary>
    private sealed class SigningKeysHealthCheck(SigningKeys keys) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(keys.IsLoaded
                ? HealthCheckResult.Healthy("token signing keys read")
                : HealthCheckResult.Unhealthy("the token signing keys are not read yet"));
    }

    /// <summary>Healthy once the silo answers grain calls with its storage behind it.</summary>
    private sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var units = await grains.GetGrain<Assets.IUnitDirectoryGrain>(0).List().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy($"{units.Count} units");
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("the silo or its storage does not answer", ex);
            }
        }
    }
}
