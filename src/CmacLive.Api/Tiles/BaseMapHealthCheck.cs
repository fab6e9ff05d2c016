using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CmacLive.Api.Tiles;

/// <summary>Degraded while a configured base map cannot be served (the silo works on without it); healthy otherwise.</summary>
public sealed class BaseMapHealthCheck(BaseMap baseMap) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(baseMap switch
        {
            { Problem: { } problem } => HealthCheckResult.Degraded(problem),
            { File: { } file } => HealthCheckResult.Healthy($"base map '{file.Info.Name}', {file.Info.Format.Name}, zoom {file.Info.MinZoom}-{file.Info.MaxZoom}"),
            { Configured: true } => HealthCheckResult.Degraded("the base map is not opened yet"),
            _ => HealthCheckResult.Healthy("no base map configured (Dashboard:Tiles)"),
        });
}
