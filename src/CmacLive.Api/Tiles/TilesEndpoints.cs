using System.Security.Cryptography;
using CmacLive.Api.Apis;
using CmacLive.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace CmacLive.Api.Tiles;

/// <summary>
/// The offline base map: <c>GET /tiles/{z}/{x}/{y}</c> (XYZ numbering; the row may end with an extension) and
/// <c>GET /tiles.json</c> (TileJSON 3.0.0), both public like the dashboard's own files, since a page's map pictures cannot
/// carry its bearer token and the tiles hold public map data only; <c>GET /api/tiles/stats</c> for signed-in readers.
/// </summary>
public static partial class TilesEndpoints
{
    private const string Tag = "Base map";

    public static IEndpointRouteBuilder MapTiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tiles/{z}/{x}/{y}", GetTile).AllowAnonymous().WithTags(Tag).WithName("GetTile").WithSummary("A tile of the offline base map")
            .Produces(StatusCodes.Status200OK, null, "image/png", "image/jpeg", "image/webp", "application/vnd.mapbox-vector-tile")
            .Produces(StatusCodes.Status204NoContent).Produces(StatusCodes.Status304NotModified).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapGet("/tiles.json", GetTileJson).AllowAnonymous().WithTags(Tag).WithName("GetTileJson").WithSummary("The offline base map as TileJSON 3.0.0")
            .Produces<TileJson>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static RouteGroupBuilder MapTileStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/tiles/stats", (TileStats stats) => TypedResults.Ok(stats.Snapshot())).RequireAuthorization(Policies.Read)
            .WithTags(Tag).WithName("GetTileStats").WithSummary("Base map tiles served, by outcome");
        return api;
    }

    /// <summary>
    /// The tile as stored, with its Content-Type, its Content-Encoding (a gzipped or deflated vector tile; inflated here for
    /// a client that does not accept it), an ETag from its bytes and a public Cache-Control; 304 for a matching
    /// <c>If-None-Match</c>; 204 where the set has no tile (map renderers draw nothing there, without an error);
    /// 400 naming z, x or y; 404 without a base map.
    /// </summary>
    public static async Task<IResult> GetTile(string z, string x, string y, HttpContext context, BaseMap baseMap, TileStats stats,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (TileAddress.Read(z, x, y, errors) is not { } address)
        {
            stats.Count(TileOutcome.Refused);
            return Problems.Fields(errors);
        }

        if (baseMap.File is not { } file)
        {
            stats.Count(TileOutcome.NoBaseMap);
            return NoBaseMap(baseMap);
        }

        var options = baseMap.Options;
        var logger = loggers.CreateLogger(typeof(TilesEndpoints));
        long size;
        byte[]? stored;
        try
        {
            (size, stored) = await file.ReadAsync(address, options.TilesMaxBytes, cancellationToken);
        }
        catch (SqliteException ex)
        {
            LogReadFailed(logger, ex, address.ToString(), file.Path);
            return Failed(stats, "the base map file could not be read; see the silo's log");
        }

        var headers = context.Response.Headers;
        headers.CacheControl = $"public, max-age={(long)options.TilesMaxAge.TotalSeconds}";
        if (size == 0)
        {
            stats.Count(TileOutcome.Missing);
            return TypedResults.NoContent();
        }

        if (stored is null)
        {
            LogTooLarge(logger, address.ToString(), size, options.TilesMaxBytes);
            return Failed(stats, $"the tile is {size} bytes, more than Dashboard:TilesMaxBytes ({options.TilesMaxBytes})");
        }

        var format = file.Info.Format;
        var encoding = format.Vector ? TileEncodings.Of(stored) : TileEncoding.Identity;
        var inflate = encoding != TileEncoding.Identity && !Accepts(context.Request, encoding.Token()!);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(stored).AsSpan(0, 12))}{(inflate ? "-identity" : "")}\"";
        headers.ETag = etag;
        if (format.Vector)
        {
            headers.Vary = HeaderNames.AcceptEncoding;
        }

        if (Matches(context.Request, etag))
        {
            stats.Count(TileOutcome.NotModified);
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var body = stored;
        if (inflate)
        {
            try
            {
                body = await encoding.DecodeAsync(stored, options.TilesMaxBytes, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                LogInflateFailed(logger, ex, address.ToString());
                return Failed(stats, "the tile could not be inflated for a client that does not accept its encoding");
            }
        }
        else if (encoding.Token() is { } token)
        {
            headers.ContentEncoding = token;
        }

        stats.Count(TileOutcome.Served);
        return TypedResults.Bytes(body, format.ContentType);
    }

    /// <summary>The base map as TileJSON 3.0.0, its tile URL absolute as the caller reached this silo.</summary>
    public static IResult GetTileJson(HttpContext context, BaseMap baseMap)
    {
        if (baseMap.File is not { } file)
        {
            return NoBaseMap(baseMap);
        }

        var request = context.Request;
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Json(TileJson.Of(file.Info, $"{request.Scheme}://{request.Host}{request.PathBase}{BaseMapView.TileTemplate}"));
    }

    private static IResult NoBaseMap(BaseMap baseMap) =>
        Problems.NotFound(baseMap.Problem ?? (baseMap.Configured ? "the base map is not opened yet" : "no base map: Dashboard:Tiles is not set"));

    private static IResult Failed(TileStats stats, string detail)
    {
        stats.Count(TileOutcome.Failed);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Tile unavailable", detail: detail);
    }

    private static bool Accepts(HttpRequest request, string encoding) =>
        request.GetTypedHeaders().AcceptEncoding.Any(e =>
            (e.Quality ?? 1) > 0 && (e.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase) || e.Value.Equals("*", StringComparison.Ordinal)));

    private static bool Matches(HttpRequest request, string etag)
    {
        var tag = new EntityTagHeaderValue(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(tag, useStrongComparison: false));
    }

    [LoggerMessage(LogLevel.Warning, "Could not read tile {Tile} from the base map {Path}")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string tile, string path);

    [LoggerMessage(LogLevel.Warning, "Tile {Tile} of the base map is {Size} bytes, more than Dashboard:TilesMaxBytes ({MaxBytes}); it is not served")]
    private static partial void LogTooLarge(ILogger logger, string tile, long size, int maxBytes);

    [LoggerMessage(LogLevel.Warning, "Tile {Tile} of the base map could not be inflated")]
    private static partial void LogInflateFailed(ILogger logger, Exception exception, string tile);
}
