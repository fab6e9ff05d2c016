using CmacLive.Assets;
using CmacLive.HazardAreas;
using CmacLive.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CmacLive;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>The silo-local services the grains use: options, the hazard-area catalog, the time source.</summary>
    public static IServiceCollection AddCmacLiveGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.Section));
        services.AddOptions<ClearanceOptions>().Bind(configuration.GetSection(ClearanceOptions.Section));
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section));
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.Section));
        services.AddSingleton(sp => new Reports.ReportDays(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReportOptions>>().Value.UtcOffset));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HazardAreaCatalog>();
        services.AddSingleton<IHazardAreaLocator>(sp => sp.GetRequiredService<HazardAreaCatalog>());
        services.AddHostedService(sp => sp.GetRequiredService<HazardAreaCatalog>());
        services.AddSingleton<AssetGrainServices>();
        services.AddHostedService<AssetLivenessSweep>();
        return services;
    }
}
