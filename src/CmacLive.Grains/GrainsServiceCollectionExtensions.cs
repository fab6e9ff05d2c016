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
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.Section))
            .PostConfigure(o => o.ReadKindTimeouts(configuration.GetSection(TrackingOptions.Section)))
            .Validate(o => o.OfflineTimeout > TimeSpan.Zero, "Tracking:OfflineTimeout must be positive")
            .ValidateOnStart();
        services.AddOptions<ClearanceOptions>().Bind(configuration.GetSection(ClearanceOptions.Section))
            .Validate(o => o.MaxQueuedWorkPoints >= 1, "Clearance:MaxQueuedWorkPoints must be at least 1")
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<IConfigureGrainContextProvider, Diagnostics.GrainActivations>();
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section))
            .Validate(o => o.ClosedKept >= 1, "Alerts:ClosedKept must be at least 1")
            .ValidateOnStart();
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.Section));
        services.AddOptions<DispatchOptions>().Bind(configuration.GetSection(DispatchOptions.Section))
            .Validate(o => o.EscalationCheck > TimeSpan.Zero && o.AckTimeout > TimeSpan.Zero && o.SpeedKmh > 0 && o.RoadFactor >= 1
                && o.OnSiteRadiusM > 0 && o.Recommendations >= 1 && o.PersonalDataRetention >= TimeSpan.Zero,
                "Dispatch: EscalationCheck and AckTimeout must be positive, SpeedKmh and OnSiteRadiusM above 0, RoadFactor at least 1, Recommendations at least 1, PersonalDataRetention not negative")
            .ValidateOnStart();

        // Requests check their deadlines by reminder at Dispatch:EscalationCheck; allow it below Orleans' one-minute floor.
        services.AddOptions<Orleans.Hosting.ReminderOptions>().Configure<Microsoft.Extensions.Options.IOptions<DispatchOptions>>((reminders, dispatch) =>
        {
            if (dispatch.Value.EscalationCheck < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = dispatch.Value.EscalationCheck;
            }
        });
        services.AddSingleton(sp => new Reports.ReportDays(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReportOptions>>().Value.UtcOffset));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Live.HubDirectory>();
        services.AddSingleton<Live.LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<Live.LiveFeed>());
        services.AddSingleton<Downlinks.DownlinkFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<Downlinks.DownlinkFeed>());
        services.TryAddSingleton<Live.SiloDeathNotices>();
        services.AddHostedService<Live.ClusterDeathWatch>();
        services.AddSingleton<HazardAreaCatalog>();
        services.AddSingleton<IHazardAreaLocator>(sp => sp.GetRequiredService<HazardAreaCatalog>());
        services.AddHostedService(sp => sp.GetRequiredService<HazardAreaCatalog>());
        services.AddSingleton<AssetGrainServices>();
        services.AddHostedService<AssetLivenessSweep>();
        return services;
    }
}
