using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>The MQTT side: the embedded broker (a hosted service) and its counters.</summary>
    public static IServiceCollection AddCmacLiveIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.Section));
        services.AddMetrics();
        services.AddSingleton<IngestStats>();
        services.AddSingleton<UplinkProcessor>();
        services.AddSingleton<MqttBroker>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttBroker>());
        services.AddHealthChecks().AddCheck<MqttHealthCheck>("mqtt");
        return services;
    }
}
