using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scalar.AspNetCore;

namespace CmacLive.Api.Docs;

/// <summary>
/// The OpenAPI 3.1 document of every route at <c>/openapi/v1.json</c> and a reference to browse it at <c>/api-docs</c>, both
/// open to anyone (they describe the API, never its data) unless <c>Api:Docs</c> is false. The reference's script is
/// embedded in its package and served by the silo; its CDN fonts, telemetry, proxy, AI agent and MCP links are off, so the
/// page works with no Internet and sends nothing outside.
/// </summary>
public static class ApiDocsExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-docs";

    public static IServiceCollection AddCmacLiveApiDocs(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            o.AddSchemaTransformer<WireSchemas>();
            o.AddOperationTransformer<OperationAnswers>();
            o.AddDocumentTransformer<ApiDocument>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapCmacLiveApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference(ReferencePath, o =>
            {
                o.WithTitle("CmacLive API")
                    .WithOpenApiRoutePattern(DocumentPath)
                    .DisableDefaultFonts()
                    .DisableTelemetry()
                    .DisableAgent()
                    .DisableMcp()
                    .AddPreferredSecuritySchemes([ApiDocument.BearerScheme]);
                o.ProxyUrl = null;
            })
            .AllowAnonymous();
        return app;
    }
}
