using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CmacLive.Silo.Extensions;

public static class HttpEndpoints
{
    /// <summary>
    /// Kestrel's own endpoints (<c>Kestrel:Endpoints:Https:{Url, Certificate:Path, Certificate:KeyPath}</c>) beside the
    /// URLs of <c>--urls</c> (or <c>ASPNETCORE_URLS</c>). Left alone, Kestrel listens on the configured endpoints only
    /// and drops those URLs; here they are bound too, so adding HTTPS keeps plain HTTP where it was. Without a
    /// <c>Kestrel:Endpoints</c> section nothing changes.
    /// </summary>
    public static WebApplicationBuilder AddCmacLiveHttpEndpoints(this WebApplicationBuilder builder)
    {
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls) || !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return builder;
        }

        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(BindingAddress.Parse).ToList();

        // Kestrel still logs that it overrides these URLs: they are among the endpoints bound "via UseKestrel()".
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in addresses)
            {
                Listen(kestrel, address);
            }
        });
        return builder;
    }

    /// <summary>As Kestrel binds a URL: <c>localhost</c> on both loopbacks, an IP address on itself, any other host on every address.</summary>
    private static void Listen(KestrelServerOptions kestrel, BindingAddress address)
    {
        Action<ListenOptions> configure = string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase)
            ? listen => listen.UseHttps()
            : _ => { };
        if (address.IsUnixPipe)
        {
            kestrel.ListenUnixSocket(address.UnixPipePath, configure);
        }
        else if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
    }
}
