using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CmacLive.Api.Docs;

/// <summary>
/// The document's own parts: what the API is, how a caller presents its credential (the bearer scheme, and the hub's
/// <c>access_token</c>), the live hub's two HTTP routes (SignalR maps them, so they have no handler to describe), and the
/// tags' descriptions.
/// </summary>
public sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "Bearer";
    public const string HubTokenScheme = "access_token";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Sign-in"] = "Tokens, who the caller is, the token signing keys.",
        ["Users"] = "Users, their roles and their API keys (admin).",
        ["Audit"] = "Who changed what.",
        ["Assets"] = "Teams, machines, dogs and rats: their registration, live status and track.",
        ["Devices"] = "Trackers and their MQTT logins.",
        ["Hazard areas"] = "Suspected and confirmed hazard areas, land release, tasks, outlines for maps and GIS.",
        ["Detections"] = "Signals from detectors, confirmed as finds or marked clutter.",
        ["Alerts"] = "Safety alerts and their acknowledgement.",
        ["Reports"] = "Projects and the daily report.",
        ["Dispatch"] = "Community requests: filing, triage, teams sent, outcomes, figures.",
        ["Casualties"] = "Mine and ERW accidents and their victims, and the monthly figures by province.",
        ["Base map"] = "The offline base map: tiles of the silo's MBTiles file, its TileJSON, and what was served.",
        ["Operations"] = "The silo's health, its ingestion counters and the dashboard.",
        ["Live hub"] = "The SignalR hub of live updates (see docs/contract.md for its messages).",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CmacLive API",
            Version = "1.1",
            Description = """
                Live tracking of demining assets, hazard areas and land release, community requests and dispatch.

                **Credentials.** Every route but sign-in, `/health` and the dashboard's files takes `Authorization: Bearer <credential>`.
                The credential is one of: a token from `POST /api/auth/token` (a JWT, valid for `Auth:TokenLifetime`); an API key
                `cmk_<16 hex digits>_<secret>` an administrator made with `POST /api/users/{username}/keys` (for integrations; it holds
                at most its user's roles); the break-glass `Auth:AdminToken`; or, when `Auth:Oidc:Authority` is set, an access token of
                that identity provider. The live hub also takes the credential as `?access_token=` (browsers cannot send headers on a
                WebSocket). A route's description names its policy and the roles it admits.

                **Errors** are `application/problem+json` (RFC 9457): a 400 names every field at fault in `errors`.

                **JSON**: camelCase members, enums as their wire names, times in UTC ISO-8601, every member written (null when unset).
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT or cmk_ API key",
            Description = "`Authorization: Bearer <credential>`: a token from POST /api/auth/token, an API key (`cmk_…`), the break-glass admin token, or the identity provider's token.",
        };
        document.Components.SecuritySchemes[HubTokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = "access_token",
            Description = "The same credential as the bearer scheme, in the query: the live hub only, as SignalR clients send it over WebSockets.",
        };

        AddHub(document);
        AddHealth(document);
        AddMetrics(document, context.ApplicationServices);
        document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        return Task.CompletedTask;
    }

    /// <summary><c>/metrics</c> where it is mapped (<c>Monitoring:Metrics</c>), by the Prometheus exporter's middleware rather than a handler.</summary>
    private static void AddMetrics(OpenApiDocument document, IServiceProvider services)
    {
        if (services.GetService<EndpointDataSource>()?.Endpoints.OfType<RouteEndpoint>().Any(e => e.RoutePattern.RawText == MetricsPath) != true)
        {
            return;
        }

        var roles = string.Join(", ", Auth.Policies.RolesOf[Auth.Policies.Read]);
        var metrics = new OpenApiOperation
        {
            OperationId = "GetMetrics",
            Summary = "This silo's metrics as Prometheus text",
            Description = $"The Prometheus text exposition format: `cmaclive_uplinks_total{{outcome,reason}}` and the other `cmaclive_` series, Orleans' own, Kestrel's, SignalR's and the runtime's (README, \"Monitoring\"). Policy `{Auth.Policies.Read}`: roles {roles}; a scraper uses a viewer's API key.",
            Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
            Security = [new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }],
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "The metrics.",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                },
                ["401"] = new OpenApiResponse { Description = "No credential, or one that does not hold." },
                ["403"] = new OpenApiResponse { Description = $"The caller holds none of the roles {roles}." },
                ["429"] = new OpenApiResponse { Description = "This address presented too many refused credentials; wait `Retry-After` seconds." },
            },
        };
        document.Paths ??= [];
        document.Paths[MetricsPath] = new OpenApiPathItem { Operations = new() { [HttpMethod.Get] = metrics } };
    }

    /// <summary>Where the Prometheus scrape is mapped.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary><c>/health</c>, mapped by the health checks' middleware rather than a handler.</summary>
    private static void AddHealth(OpenApiDocument document)
    {
        var text = new Dictionary<string, OpenApiMediaType>
        {
            ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Healthy"), JsonValue.Create("Degraded"), JsonValue.Create("Unhealthy")] } },
        };
        var health = new OpenApiOperation
        {
            OperationId = "GetHealth",
            Summary = "Whether this silo serves",
            Description = "`Healthy` once the cluster, its storage, the hub's feeds and the token signing keys answer; `Degraded` while history writes fail. Open to anyone: no credential needed.",
            Tags = new HashSet<OpenApiTagReference> { new("Operations", document) },
            Responses = new OpenApiResponses
            {
                ["200"] = new OpenApiResponse { Description = "Healthy or Degraded.", Content = text },
                ["503"] = new OpenApiResponse { Description = "Unhealthy: not ready, or a part does not answer.", Content = text },
            },
        };
        document.Paths ??= [];
        document.Paths["/health"] = new OpenApiPathItem { Operations = new() { [HttpMethod.Get] = health } };
    }

    private static void AddHub(OpenApiDocument document)
    {
        var roles = string.Join(", ", Auth.Policies.RolesOf[Auth.Policies.Read]);
        OpenApiOperation Operation(string id, string summary, string description, OpenApiResponses responses)
        {
            responses["401"] = new OpenApiResponse { Description = "No credential, or one that does not hold." };
            responses["403"] = new OpenApiResponse { Description = $"The caller holds none of the roles {roles}." };
            responses["429"] = new OpenApiResponse { Description = "This address presented too many refused credentials; wait `Retry-After` seconds." };
            return new OpenApiOperation
            {
                OperationId = id,
                Summary = summary,
                Description = $"{description} Policy `{Auth.Policies.Read}`: roles {roles}.",
                Tags = new HashSet<OpenApiTagReference> { new("Live hub", document) },
                Security =
                [
                    new() { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                    new() { [new OpenApiSecuritySchemeReference(HubTokenScheme, document)] = [] },
                ],
                Responses = responses,
            };
        }

        var negotiate = Operation("NegotiateHub", "Negotiate a live hub connection",
            "SignalR's negotiation (`negotiateVersion=1`): the connection token and the transports offered. A SignalR client library does this itself.",
            new OpenApiResponses
            {
                ["200"] = new OpenApiResponse
                {
                    Description = "The connection id and token and the available transports.",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } } },
                },
            });
        var connect = Operation("ConnectHub", "Connect to the live hub",
            "The hub's connection (`id=` from the negotiation): a WebSocket upgrade, or server-sent events or long polling. Messages are SignalR's JSON protocol; the server's messages and the `Focus` method are in docs/contract.md.",
            new OpenApiResponses
            {
                ["101"] = new OpenApiResponse { Description = "Switched to the WebSocket." },
                ["200"] = new OpenApiResponse { Description = "Server-sent events or a long poll." },
            });

        document.Paths ??= [];
        document.Paths[Hubs.OpsHub.Path + "/negotiate"] = new OpenApiPathItem { Operations = new() { [HttpMethod.Post] = negotiate } };
        document.Paths[Hubs.OpsHub.Path] = new OpenApiPathItem { Operations = new() { [HttpMethod.Get] = connect } };
    }
}
