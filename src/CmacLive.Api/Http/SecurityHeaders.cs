using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace CmacLive.Api.Http;

/// <summary>
/// Headers on every answer: no referrer sent on, no type sniffing, never framed. The dashboard's page also gets a
/// Content-Security-Policy: scripts, styles and fonts only from the silo itself (no inline script or style), pictures
/// from the silo and the configured tile server, connections (REST, the hub's WebSocket) to the silo only.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseCmacLiveSecurityHeaders(this IApplicationBuilder app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            return next(context);
        });
        return app;
    }

    /// <summary>The page's policy; <paramref name="tileUrl"/> (<c>Dashboard:TileUrl</c>) adds its origin to the pictures allowed.</summary>
    public static string ContentSecurityPolicy(string? tileUrl)
    {
        var tiles = TileOrigin(tileUrl) is { } origin ? " " + origin : "";
        return "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; "
            + $"img-src 'self' data: blob:{tiles}; connect-src 'self'; manifest-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
    }

    public static string ContentSecurityPolicy(IConfiguration configuration) => ContentSecurityPolicy(configuration["Dashboard:TileUrl"]);

    private static string? TileOrigin(string? tileUrl)
    {
        if (string.IsNullOrWhiteSpace(tileUrl))
        {
            return null;
        }

        var concrete = tileUrl.Replace("{z}", "0", StringComparison.Ordinal).Replace("{x}", "0", StringComparison.Ordinal)
            .Replace("{y}", "0", StringComparison.Ordinal).Replace("{s}", "a", StringComparison.Ordinal).Replace("{r}", "", StringComparison.Ordinal);
        return Uri.TryCreate(concrete, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
    }
}
