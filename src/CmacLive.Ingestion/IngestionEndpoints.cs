using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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

/// <summary>Healthy while uplinks can come in: the embedded broker listens, or the external subscription is up.</summary>
public sealed class MqttHealthCheck(IMqttIngress ingress) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ingress.IsReady ? HealthCheckResult.Healthy(ingress.Describe()) : HealthCheckResult.Unhealthy(ingress.Describe()));
}
