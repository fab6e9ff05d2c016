using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CmacLive.Ingestion.Phones;

public static class PhoneEndpointExtensions
{
    /// <summary>
    /// First in the pipeline: a request that came in on <c>Osmand:Port</c> goes to <see cref="PhoneEndpoint"/> and nowhere else
    /// (no REST, hub, dashboard or health check answers there), and a request on any other port never reaches it.
    /// </summary>
    public static IApplicationBuilder UseCmacLivePhones(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<OsmandOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var port = options.Port;
        return app.MapWhen(context => context.Connection.LocalPort == port,
            phones => phones.Run(context => context.RequestServices.GetRequiredService<PhoneEndpoint>().HandleAsync(context)));
    }
}
