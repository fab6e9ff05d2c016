using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CmacLive.Ingestion;

/// <summary>Healthy while uplinks can come in: the embedded broker listens, or the external subscription is up.</summary>
public sealed class MqttHealthCheck(IMqttIngress ingress) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(ingress.IsReady ? HealthCheckResult.Healthy(ingress.Describe()) : HealthCheckResult.Unhealthy(ingress.Describe()));
}
