using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Api.Tiles;

public static class BaseMapServiceCollectionExtensions
{
    /// <summary>The offline base map of <c>Dashboard:Tiles</c>: opened at start, its health, its counters.</summary>
    public static IServiceCollection AddCmacLiveBaseMap(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BaseMapOptions.Section).Get<BaseMapOptions>() ?? new BaseMapOptions();
        if (options.TilesMaxAge < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Dashboard:TilesMaxAge must not be negative.");
        }

        if (options.TilesMaxBytes <= 0)
        {
            throw new InvalidOperationException("Dashboard:TilesMaxBytes must be above 0.");
        }

        services.AddSingleton(options);
        services.AddSingleton<BaseMap>();
        services.AddHostedService(sp => sp.GetRequiredService<BaseMap>());
        services.AddSingleton<TileStats>();
        services.AddHealthChecks().AddCheck<BaseMapHealthCheck>("basemap");
        return services;
    }
}
