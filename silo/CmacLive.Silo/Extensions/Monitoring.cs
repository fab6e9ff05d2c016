using CmacLive.Api.Auth;
using CmacLive.Api.Monitoring;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;

namespace CmacLive.Silo.Extensions;

/// <summary>
/// Metrics and traces through OpenTelemetry: Prometheus text at <c>GET /metrics</c> (<see cref="MonitoringOptions.Metrics"/>),
/// and OTLP export of metrics, traces and logs only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (nothing is traced
/// otherwise: no listener, so no span is made). The Orleans Dashboard for admins when <see cref="MonitoringOptions.OrleansDashboard"/>.
/// </summary>
public static class Monitoring
{
    /// <summary>The meters published: the silo's own (<c>CmacLive.*</c>), Orleans', ASP.NET Core's and the runtime's.</summary>
    public static readonly string[] Meters =
    [
        "CmacLive.*", "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections", "System.Runtime",
    ];

    /// <summary>The sources traced: an uplink's own spans and Orleans' spans of the grain calls it makes.</summary>
    public static readonly string[] Sources = [Tracing.SourceName, "Microsoft.Orleans.Application"];

    public static WebApplicationBuilder AddCmacLiveMonitoring(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(MonitoringOptions.Section);
        var settings = section.Get<MonitoringOptions>() ?? new MonitoringOptions();
        builder.Services.AddOptions<MonitoringOptions>().Bind(section)
            .Validate(o => o.AlertsRefresh > TimeSpan.Zero && o.TraceSampleRatio is >= 0 and <= 1,
                "Monitoring: AlertsRefresh must be positive and TraceSampleRatio between 0 and 1")
            .ValidateOnStart();
        var otlp = Otlp(builder.Configuration);
        if (!settings.Metrics && otlp is null)
        {
            return builder;
        }

        builder.Services.AddHostedService<MonitoringGauges>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cmaclive"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters);
                if (settings.Metrics)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (otlp is { } export)
        {
            telemetry.WithTracing(tracing => tracing.AddSource(Sources)
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio))));
            telemetry.UseOtlpExporter(export.Protocol, export.Endpoint);
        }

        return builder;
    }

    /// <summary>The silo's part: grain calls carry the trace when traces are exported; the Orleans Dashboard's services when it is on.</summary>
    public static ISiloBuilder AddCmacLiveMonitoring(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (Otlp(configuration) is not null)
        {
            silo.AddActivityPropagation();
        }

        if (configuration.GetSection(MonitoringOptions.Section).Get<MonitoringOptions>()?.OrleansDashboard == true)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    public static WebApplication MapCmacLiveMonitoring(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MonitoringOptions>>().Value;
        if (settings.Metrics)
        {
            app.MapPrometheusScrapingEndpoint(Api.Docs.ApiDocument.MetricsPath).RequireAuthorization(Policies.Read);
        }

        if (settings.OrleansDashboard)
        {
            // The Orleans Dashboard's own page and the data it fetches: its UI, not CmacLive's API, so not in the API document.
            app.MapOrleansDashboard(OrleansDashboardAccess.Path).RequireAuthorization(Policies.Admin).ExcludeFromDescription();
            app.MapOrleansDashboardSession().WithTags("Operations").WithName("OpenOrleansDashboardSession")
                .WithSummary("Let this admin's browser open the Orleans Dashboard").Produces(StatusCodes.Status204NoContent);
        }

        return app;
    }

    /// <summary>
    /// Where OTLP goes: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, over <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>http/protobuf</c> when
    /// unset, as the OpenTelemetry specification says; the .NET exporter's own default would be gRPC); null when unset.
    /// </summary>
    private static (OtlpExportProtocol Protocol, Uri Endpoint)? Otlp(IConfiguration configuration)
    {
        if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is not { Length: > 0 } endpoint)
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' is not an http(s) URL");
        }

        var protocol = configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] switch
        {
            null or "" or "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            var other => throw new InvalidOperationException(
                $"OTEL_EXPORTER_OTLP_PROTOCOL '{other}' is not supported: use 'http/protobuf' (the default) or 'grpc'"),
        };
        return (protocol, uri);
    }
}
