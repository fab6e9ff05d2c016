using CmacLive.Api.Apis;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.Api.Dashboard;
using CmacLive.Api.Docs;
using CmacLive.Api.Hubs;
using CmacLive.Api.Json;
using CmacLive.Api.Tiles;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Api;

public static class ApiExtensions
{
    /// <summary>REST, the hub, bearer-token auth and the per-silo relay of live updates.</summary>
    public static IServiceCollection AddCmacLiveApi(this IServiceCollection services, IConfiguration configuration, AdminToken token, string dataFolder)
    {
        // GeoJSON geometries as the geo routes write them: the OpenAPI document then describes them as written, not as objects.
        services.ConfigureHttpJsonOptions(o =>
        {
            WireJson.Configure(o.SerializerOptions);
            o.SerializerOptions.Converters.Add(new NetTopologySuite.IO.Converters.GeoJsonConverterFactory(Geo.HazardAreaGeometry.Factory));
        });
        services.AddProblemDetails();
        var http = configuration.GetSection(Http.ApiOptions.Section).Get<Http.ApiOptions>() ?? new Http.ApiOptions();
        if (http.MaxBodyBytes <= 0)
        {
            throw new InvalidOperationException("Api:MaxBodyBytes must be above 0.");
        }

        services.AddSingleton(http);
        if (http.Docs)
        {
            services.AddCmacLiveApiDocs();
        }

        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = http.MaxBodyBytes);
        services.AddExceptionHandler<Http.BadRequestAnswer>();
        services.AddCmacLiveAuth(configuration, token);
        services.AddSingleton(new FirstAdmin.Settings(dataFolder));
        services.AddHostedService<FirstAdmin>();
        services.AddSingleton<AuditStats>();
        // Pings every 5 s: a dashboard learns within its 12 s server timeout that its link is gone (a silo
        // stopped, a network cut), says so, and reconnects. Clients keep their default 15 s pings, so the
        // hub keeps its default 30 s before it drops a silent one.
        services.AddSignalR(o =>
            {
                o.KeepAliveInterval = TimeSpan.FromSeconds(5);
                o.AddFilter<HubSessions>();
            })
            .AddJsonProtocol(o => WireJson.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<OpsHubLifetimeManager>();
        services.AddSingleton<HubLifetimeManager<OpsHub>>(sp => sp.GetRequiredService<OpsHubLifetimeManager>());
        services.AddSingleton<OpsHubConnections>();
        services.AddSingleton<OpsHubRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<OpsHubRelay>());
        services.AddOptions<Situation.SituationOptions>().Bind(configuration.GetSection(Situation.SituationOptions.Section))
            .Validate(o => o.IsValid, "Situation: PushPeriod and SeedWait must be positive, RefreshPeriod at least PushPeriod, MostFocusSets at least 1, ReconcilePeriod from 00:00:01 to 1.00:00:00")
            .ValidateOnStart();
        services.AddSingleton<Situation.SituationBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<Situation.SituationBoard>());
        services.AddCmacLiveBaseMap(configuration);
        return services;
    }

    /// <summary>
    /// Maps <c>/api/…</c>, <c>/hubs/ops</c>, the base map's <c>/tiles/…</c> and the dashboard. Every route names its policy (the route table in docs/people.md lists them);
    /// the group itself admits only signed-in callers, so a route that forgot its policy is still closed.
    /// </summary>
    public static IEndpointRouteBuilder MapCmacLiveApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.SignedIn);
        api.MapAuthApi().MapUsersApi().MapAuditApi().MapAssetsApi().MapTrackApi().MapAssetEventsApi().MapDevicesApi().MapHazardAreasApi().MapAlertsApi().MapDetectionsApi().MapReportsApi().MapDispatchApi().MapCasualtiesApi().MapSituationApi().MapTileStatsApi();
        app.MapHub<OpsHub>(OpsHub.Path);
        app.MapTiles();
        app.MapDashboard();
        if (app.ServiceProvider.GetRequiredService<Http.ApiOptions>().Docs)
        {
            app.MapCmacLiveApiDocs();
        }

        return app;
    }
}
