using CmacLive.Api.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CmacLive.Api.Docs;

/// <summary>
/// The answers every route gives by the way it is reached rather than by its handler: the bearer credential and the policy
/// it names (401, 403 naming the roles, 503 when the credential cannot be checked now), the address throttle of
/// <c>/api</c> (429), the body limit (413), all as problem+json; and what a 400 holds.
/// </summary>
public sealed class OperationAnswers : IOpenApiOperationTransformer
{
    private const string ProblemSchema = nameof(ProblemDetails);

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document ?? throw new InvalidOperationException("an operation is described inside a document");
        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        document.AddComponent(ProblemSchema, schema);
        var problem = new OpenApiSchemaReference(ProblemSchema, document);
        operation.Responses ??= [];

        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count > 0 && !metadata.OfType<IAllowAnonymous>().Any())
        {
            // The /api group admits signed-in callers; the route's own policy comes after it.
            var policy = authorize.Select(a => a.Policy).OfType<string>().LastOrDefault() ?? Policies.SignedIn;
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocument.BearerScheme, document)] = [] }];
            var who = Policies.RolesOf.TryGetValue(policy, out var roles) ? $"roles {string.Join(", ", roles)}" : "any signed-in caller";
            operation.Description = Join(operation.Description, $"Policy `{policy}`: {who}.");
            Add(operation, problem, StatusCodes.Status401Unauthorized,
                "No credential, or one that does not hold (expired, revoked, unknown); the answer carries `WWW-Authenticate: Bearer`.");
            if (roles is not null)
            {
                Add(operation, problem, StatusCodes.Status403Forbidden, $"The caller holds none of the roles {string.Join(", ", roles)}; `detail` names them and the caller's.");
            }

            Add(operation, problem, StatusCodes.Status503ServiceUnavailable,
                "The credential could not be checked at this moment; try again after `Retry-After` seconds.");
        }
        else
        {
            operation.Description = Join(operation.Description, "Open to anyone: no credential needed.");
        }

        if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true)
        {
            Add(operation, problem, StatusCodes.Status429TooManyRequests,
                "This address presented too many refused credentials; its requests without a valid credential wait `Retry-After` seconds.");
        }

        if (operation.RequestBody is not null)
        {
            Add(operation, problem, StatusCodes.Status413PayloadTooLarge, "The body is larger than `Api:MaxBodyBytes` (1 MiB by default).");
        }

        await AddFormatsAsync(operation, context, metadata, cancellationToken);
        if (metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary is { } summary && operation.Summary != summary)
        {
            // The handler's XML comment came in as the summary: it is the longer description, and the route's own summary leads.
            operation.Description = Join(operation.Summary, operation.Description);
            operation.Summary = summary;
        }

        operation.Description = operation.Description?.Replace("&amp;", "&", StringComparison.Ordinal)
            .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal);

        if (operation.Responses.TryGetValue("400", out var invalid) && invalid is OpenApiResponse bad)
        {
            bad.Description = "The request is not valid: `errors` names every field at fault (a query parameter, a route value, "
                + "a body member such as `properties.type`, or `body` for a body that is not a JSON object), each with what is wrong.";
        }
    }

    private static async Task AddFormatsAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata, CancellationToken cancellationToken)
    {
        var formats = metadata.OfType<AnswerFormat>().ToList();
        if (formats.Count == 0)
        {
            return;
        }

        if (!operation.Responses!.TryGetValue("200", out var answer) || answer is not OpenApiResponse ok)
        {
            ok = new OpenApiResponse { Description = "OK" };
            operation.Responses["200"] = ok;
        }

        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        foreach (var format in formats.Where(f => !ok.Content.ContainsKey(f.ContentType)))
        {
            var schema = format.Body is { } type
                ? await context.GetOrCreateSchemaAsync(type, null, cancellationToken)
                : new OpenApiSchema { Type = JsonSchemaType.String, Description = $"The {format.ContentType} document." };
            ok.Content[format.ContentType] = new OpenApiMediaType { Schema = schema };
        }

        if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p is { Name: "format", In: ParameterLocation.Query }) is { } parameter)
        {
            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. formats.Select(f => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(f.Format))],
            };
            parameter.Description = "The answer's form: " + string.Join(", ", formats.Select(f => $"`{f.Format}` ({f.ContentType})")) + "; none: the first.";
        }
    }

    private static void Add(OpenApiOperation operation, IOpenApiSchema problem, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
    }

    private static string Join(string? first, string second) => string.IsNullOrEmpty(first) ? second : $"{first}\n\n{second}";
}
