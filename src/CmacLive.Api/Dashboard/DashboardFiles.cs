using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Api.Dashboard;

/// <summary>
/// The command dashboard, served at <c>/</c> from the files embedded in this assembly at build time. The page
/// itself holds no data: everything it shows comes from the API and the hub, behind the token it signs in with.
/// </summary>
public static class DashboardFiles
{
    private const string Prefix = "dashboard/";

    private const string NotBuilt = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>CmacLive</title></head>
        <body style="font-family:sans-serif;margin:3rem"><h1>CmacLive</h1>
        <p>This silo was built without its dashboard: Node.js and npm were not installed. Install them
        (<code>apt-get install nodejs npm</code>) and build again. The API and the hub work meanwhile.</p></body></html>
        """;

    private const string Tag = "Operations";

    private sealed record File(byte[] Content, string ContentType, string ETag, bool Immutable);

    private static readonly Lazy<FrozenDictionary<string, File>> Files = new(Load);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var policy = Http.SecurityHeaders.ContentSecurityPolicy(app.ServiceProvider.GetRequiredService<IConfiguration>());
        // The page and its files are public (they hold no data; everything they show is read with a credential).
        app.MapGet("/", (HttpContext context) => Serve(context, "index.html", policy)).AllowAnonymous()
            .WithTags(Tag).WithName("GetDashboard").WithSummary("The dashboard's page").Produces(StatusCodes.Status200OK, null, "text/html")
            .Produces(StatusCodes.Status304NotModified);
        app.MapGet("/{**path}", (string path, HttpContext context) => Serve(context, path, policy)).WithOrder(int.MaxValue).AllowAnonymous()
            .WithTags(Tag).WithName("GetDashboardFile").WithSummary("The dashboard's scripts, styles and pictures")
            .Produces(StatusCodes.Status200OK, null, "text/javascript", "text/css", "image/svg+xml", "image/png").Produces(StatusCodes.Status304NotModified).Produces(StatusCodes.Status404NotFound);
        app.MapGet("/api/dashboard/config", (Tiles.BaseMap baseMap) => TypedResults.Ok(baseMap.File is { } file
                ? new DashboardConfig(null, Tiles.BaseMapView.Of(file.Info))
                : new DashboardConfig(baseMap.Options.TileUrl, null)))
            .RequireAuthorization(Auth.Policies.Read).WithTags(Tag).WithName("GetDashboardConfig").WithSummary("What the dashboard needs from the configuration");
        return app;
    }

    /// <summary>
    /// What the page needs to know from the silo's configuration: the offline base map it serves (<c>Dashboard:Tiles</c>),
    /// or else an online tile server's URL (<c>Dashboard:TileUrl</c>), or neither.
    /// </summary>
    public sealed record DashboardConfig(string? TileUrl, Tiles.BaseMapView? BaseMap);

    private static IResult Serve(HttpContext context, string path, string policy)
    {
        if (!Files.Value.TryGetValue(path, out var file))
        {
            return path == "index.html"
                ? TypedResults.Content(NotBuilt, "text/html; charset=utf-8")
                : TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        headers.ETag = file.ETag;
        headers.CacheControl = file.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        if (file.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = policy;
        }

        if (context.Request.Headers.IfNoneMatch == file.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(file.Content, file.ContentType);
    }

    private static FrozenDictionary<string, File> Load()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".geojson"] = "application/geo+json";
        var files = new Dictionary<string, File>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var path = name[Prefix.Length..].Replace('\\', '/');
            var type = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "text/javascript")
            {
                type += "; charset=utf-8";
            }

            files[path] = new File(content, type, $"\"{Convert.ToHexString(SHA256.HashData(content), 0, 12)}\"", path.StartsWith("assets/", StringComparison.Ordinal));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
