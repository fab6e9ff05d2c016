using System.Globalization;
using System.Net;
using CmacLive.Ingestion.Phones;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CmacLive.Silo.Extensions;

public static class HttpEndpoints
{
    /// <summary>Where Kestrel listens when nothing says otherwise.</summary>
    private const string KestrelDefault = "http://localhost:5000";

    /// <summary>
    /// Kestrel's own endpoints (<c>Kestrel:Endpoints:Https:{Url, Certificate:Path, Certificate:KeyPath}</c>) and the phones'
    /// endpoint (<c>Osmand:Port</c>) beside the URLs of <c>--urls</c> (or <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>, or
    /// Kestrel's default). Left alone, Kestrel listens on the endpoints configured or set in code only and drops those URLs; here
    /// they are bound too, first, so adding HTTPS or the phones' port keeps plain HTTP where it was. With neither, nothing changes.
    /// </summary>
    public static WebApplicationBuilder AddCmacLiveHttpEndpoints(this WebApplicationBuilder builder)
    {
        var phones = builder.Configuration.GetSection(OsmandOptions.Section).Get<OsmandOptions>() ?? new OsmandOptions();
        var kestrelEndpoints = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
        if (!kestrelEndpoints && !phones.Enabled)
        {
            return builder;
        }

        var addresses = Urls(builder.Configuration, orDefault: !kestrelEndpoints).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(BindingAddress.Parse).ToList();

        // Kestrel still logs that it overrides these URLs: they are among the endpoints bound "via UseKestrel()".
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var address in addresses)
            {
                Listen(kestrel, address);
            }

            if (phones.Enabled)
            {
                // The phones' port: its requests are told apart by this local port and answered by the phones' endpoint only.
                if (string.IsNullOrWhiteSpace(phones.Address))
                {
                    kestrel.ListenAnyIP(phones.Port);
                }
                else
                {
                    kestrel.Listen(IPAddress.Parse(phones.Address), phones.Port);
                }
            }
        });
        return builder;
    }

    /// <summary>
    /// The URLs Kestrel would bind by itself: <c>urls</c>, else <c>http_ports</c> on every address, else (when no
    /// <c>Kestrel:Endpoints</c> are configured, <paramref name="orDefault"/>) its default.
    /// </summary>
    private static string Urls(IConfiguration configuration, bool orDefault)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls && !string.IsNullOrWhiteSpace(urls))
        {
            return urls;
        }

        if (configuration[WebHostDefaults.HttpPortsKey] is { Length: > 0 } ports && !string.IsNullOrWhiteSpace(ports))
        {
            return string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"http://*:{p}")));
        }

        return orDefault ? KestrelDefault : "";
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
