using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using CmacLive.Ingestion.Phones;

namespace CmacLive.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// The MQTT side: the embedded broker or the external broker's subscriber (by <c>Mqtt:Mode</c>), the counters, and
    /// the devices' logins at an external Mosquitto's dynamic-security plugin (<c>Mqtt:DynamicSecurity</c>); and the phones'
    /// HTTP endpoint (<c>Osmand</c>), which shares the devices' secret check, back-off and uplink rate with the embedded broker.
    /// </summary>
    public static IServiceCollection AddCmacLiveIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.Section))
            .Validate(o => o.MaxPacketBytes >= 1024 && o.MaxPacketBytes <= 268_435_455, "Mqtt:MaxPacketBytes must be between 1024 and 268435455")
            .Validate(o => o.MaxConnections >= 1 && o.MaxConnectionsPerDevice >= 1, "Mqtt:MaxConnections and Mqtt:MaxConnectionsPerDevice must be at least 1")
            .Validate(o => o.MaxMessagesPerSecondPerDevice > 0 && o.MessageBurstPerDevice >= 1,
                "Mqtt:MaxMessagesPerSecondPerDevice must be above 0 and Mqtt:MessageBurstPerDevice at least 1")
            .Validate(o => o.ConnectFailureLimit >= 1 && o.ConnectFailureLimitPerAddress >= 1 && o.ConnectFailuresTracked >= 100,
                "Mqtt:ConnectFailureLimit and Mqtt:ConnectFailureLimitPerAddress must be at least 1, Mqtt:ConnectFailuresTracked at least 100")
            .Validate(o => o.ConnectBackoff > TimeSpan.Zero && o.ConnectMaxBackoff >= o.ConnectBackoff,
                "Mqtt:ConnectBackoff must be above zero and Mqtt:ConnectMaxBackoff at least as long")
            .Validate(o => o.ConnectTimeout >= TimeSpan.FromSeconds(1), "Mqtt:ConnectTimeout must be at least one second")
            .Validate(o => string.IsNullOrWhiteSpace(o.Tls.Certificate) == string.IsNullOrWhiteSpace(o.Tls.Key),
                "Mqtt:Tls:Certificate and Mqtt:Tls:Key go together")
            .Validate(o => string.IsNullOrWhiteSpace(o.Tls.Authority) || File.Exists(o.Tls.Authority),
                "Mqtt:Tls:Authority must name a PEM file of the broker's certificate authority")
            .ValidateOnStart();
        services.AddOptions<OsmandOptions>().Bind(configuration.GetSection(OsmandOptions.Section))
            .Validate(o => o.Port <= 65535, "Osmand:Port must be at most 65535 (0 or negative turns the phones' endpoint off)")
            .Validate(o => string.IsNullOrWhiteSpace(o.Address) || System.Net.IPAddress.TryParse(o.Address, out _), "Osmand:Address must be an IP address")
            .Validate(o => o.MaxBodyBytes >= 1024 && o.MaxQueryLength >= 256, "Osmand:MaxBodyBytes must be at least 1024 and Osmand:MaxQueryLength at least 256")
            .Validate(o => o.MaxRequestsPerSecondPerAddress > 0 && o.RequestBurstPerAddress >= 1 && o.AddressesTracked >= 100,
                "Osmand:MaxRequestsPerSecondPerAddress must be above 0, Osmand:RequestBurstPerAddress at least 1 and Osmand:AddressesTracked at least 100")
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton<IngestStats>();
        services.AddSingleton<UplinkProcessor>();
        services.AddSingleton(sp => new DeviceGate(sp.GetRequiredService<IOptions<MqttOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DeviceSecretCheck>();
        services.AddSingleton(sp => new AddressRate(sp.GetRequiredService<IOptions<OsmandOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PhoneEndpoint>();
        services.AddSingleton<SafetyLane>();
        services.TryAddSingleton<Live.HubDirectory>();
        services.TryAddSingleton<Live.SiloDeathNotices>();
        services.AddSingleton<DownlinkRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<DownlinkRelay>());
        services.TryAddSingleton(TimeProvider.System);
        var configured = configuration.GetSection(MqttOptions.Section).Get<MqttOptions>() ?? new MqttOptions();
        if (configured.Mode == MqttMode.External)
        {
            services.AddOptions<MqttOptions>()
                .PostConfigure<Orleans.Runtime.ILocalSiloDetails>((o, silo) =>
                {
                    if (string.IsNullOrWhiteSpace(o.ClientId))
                    {
                        // Stable across restarts (the broker keeps the session under it), one per silo on a host.
                        o.ClientId = $"cmaclive-{Environment.MachineName}-{silo.SiloAddress.Endpoint.Port}";
                    }
                })
                .Validate(o => !string.IsNullOrWhiteSpace(o.Host), "Mqtt:Host is required in external mode")
                .Validate(o => o.ReceiveMaximum >= 1, "Mqtt:ReceiveMaximum must be at least 1")
                .Validate(o => o.SessionExpiry >= TimeSpan.FromMinutes(1) && o.SessionExpiry.TotalSeconds < uint.MaxValue,
                    "Mqtt:SessionExpiry must be at least one minute (unacknowledged messages wait in the session)")
                .ValidateOnStart();
            services.AddSingleton<ExternalMqttSubscriber>();
            services.AddSingleton<IMqttIngress>(sp => sp.GetRequiredService<ExternalMqttSubscriber>());
            services.AddSingleton<Downlinks.IDeviceCommandSink>(sp => sp.GetRequiredService<ExternalMqttSubscriber>());
            services.AddHostedService(sp => sp.GetRequiredService<ExternalMqttSubscriber>());
            if (configured.DynamicSecurity)
            {
                services.AddOptions<MqttOptions>()
                    .Validate(o => !string.IsNullOrWhiteSpace(o.Username),
                        "Mqtt:Username is required with Mqtt:DynamicSecurity (the silos' login at the broker, its dynamic-security admin)")
                    .Validate(o => o.DynamicSecurityTimeout > TimeSpan.Zero, "Mqtt:DynamicSecurityTimeout must be positive");
                services.AddSingleton<DynamicSecurityClient>();
                services.AddHostedService(sp => sp.GetRequiredService<DynamicSecurityClient>());
                services.AddSingleton<CmacLive.Devices.IBrokerDeviceLogins, DynamicSecurityDeviceLogins>();
            }
            else
            {
                services.AddSingleton<CmacLive.Devices.IBrokerDeviceLogins, RegistryOnlyDeviceLogins>();
            }
        }
        else
        {
            services.AddSingleton<MqttBroker>();
            services.AddSingleton<IMqttIngress>(sp => sp.GetRequiredService<MqttBroker>());
            services.AddSingleton<Downlinks.IDeviceCommandSink>(sp => sp.GetRequiredService<MqttBroker>());
            services.AddHostedService(sp => sp.GetRequiredService<MqttBroker>());
            services.AddSingleton<CmacLive.Devices.IBrokerDeviceLogins, RegistryOnlyDeviceLogins>();
        }

        services.AddHealthChecks().AddCheck<MqttHealthCheck>("mqtt");
        return services;
    }
}
