using CmacLive.Silo.Extensions;

namespace CmacLive.Silo;

/// <summary>Builds the one process kind of CmacLive: Orleans silo, MQTT broker, REST, hub.</summary>
public static class SiloHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddCmacLiveHttpEndpoints()
            .AddCmacLiveSilo()
            .AddCmacLiveIngestion()
            .AddCmacLiveApi()
            .AddCmacLiveMonitoring();

        var app = builder.Build();
        app.MapCmacLive();
        return app;
    }
}
