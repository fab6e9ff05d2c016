using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Ingestion;

public static class IngestionEndpoints
{
    /// <summary>
    /// <c>GET /api/ingest/stats</c>: this silo's counts of accepted and refused uplinks. The host names its
    /// authorization policy on the returned builder.
    /// </summary>
    public static RouteHandlerBuilder MapIngestStats(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/ingest/stats", (IngestStats stats) => TypedResults.Ok(stats.Snapshot()));
}
