using System.Text.Json;
using System.Text.Json.Nodes;
using CmacLive.Api.Auth;
using CmacLive.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Audit;

/// <summary>
/// Records every change made through REST in the audit trail, in one place: after a route that changes something
/// answers 2xx, the signed-in user, the body's <c>by</c> (as <c>onBehalfOf</c>), the action, the target and the route's
/// values with the body members the route names as worth keeping (never a secret or a reporter's personal data: a
/// password only as <c>passwordChanged</c>) are appended. The answer goes out once the entry is durable. A failed append
/// is logged and counted; the change itself stands.
/// </summary>
public sealed partial class AuditFilter(string action, string target, string[] kept) : IEndpointFilter
{
    /// <summary>The longest text kept of one member.</summary>
    private const int MaxMember = 500;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Request.EnableBuffering();
        var result = await next(context);
        var answer = Innermost(result);
        if (answer is IStatusCodeHttpResult { StatusCode: < 200 or >= 300 })
        {
            return result;
        }

        var services = http.RequestServices;
        var log = services.GetRequiredService<IAuditLog>();
        var stats = services.GetRequiredService<AuditStats>();
        try
        {
            var (detail, onBehalfOf) = await DetailAsync(http.Request);
            await log.AppendAsync(new AuditEntry
            {
                At = services.GetRequiredService<TimeProvider>().GetUtcNow(),
                User = CmacClaims.NameOf(http.User),
                OnBehalfOf = onBehalfOf,
                Action = action,
                Target = TargetOf(http.Request, answer),
                Detail = detail,
            }, CancellationToken.None);
            stats.Recorded();
        }
        catch (Exception ex)
        {
            stats.Failed();
            LogFailed(services.GetRequiredService<ILogger<AuditFilter>>(), ex, action, CmacClaims.NameOf(http.User));
        }

        return result;
    }

    /// <summary>The answer inside the route's union of results (<c>Results&lt;…&gt;</c> wraps the one it holds).</summary>
    private static object? Innermost(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result;
    }

    /// <summary>The target with its route values put in; a created resource's id from its location when the route has none.</summary>
    private string TargetOf(HttpRequest request, object? answer)
    {
        var text = target;
        foreach (var (name, value) in request.RouteValues)
        {
            text = text.Replace("{" + name + "}", RouteValue(value), StringComparison.Ordinal);
        }

        if (text.Contains("{new}", StringComparison.Ordinal))
        {
            var location = answer?.GetType().GetProperty("Location")?.GetValue(answer) as string;
            text = text.Replace("{new}", location is null ? "?" : Uri.UnescapeDataString(location[(location.LastIndexOf('/') + 1)..]), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The route's values and the body's kept members (a dotted name reaches into an object); and its <c>by</c>.</summary>
    private async Task<(string? Detail, string? OnBehalfOf)> DetailAsync(HttpRequest request)
    {
        var detail = new JsonObject();
        foreach (var (name, value) in request.RouteValues)
        {
            detail[name] = RouteValue(value);
        }

        string? onBehalfOf = null;
        if (request.Body.CanSeek && request.Body.Length > 0)
        {
            request.Body.Position = 0;
            try
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                var root = body.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    onBehalfOf = root.TryGetProperty("by", out var by) && by.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(by.GetString())
                        ? by.GetString()!.Trim()
                        : null;
                    if (root.TryGetProperty("password", out var password) && password.ValueKind == JsonValueKind.String)
                    {
                        detail["passwordChanged"] = true;
                    }

                    foreach (var path in kept)
                    {
                        if (Find(root, path) is { } value)
                        {
                            var text = value.GetRawText();
                            detail[path] = text.Length <= MaxMember ? JsonNode.Parse(text) : text[..MaxMember] + "…";
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // The route took it, so this does not happen; the entry then keeps the route's values only.
            }
        }

        return (detail.Count == 0 ? null : detail.ToJsonString(), onBehalfOf);
    }

    private static JsonElement? Find(JsonElement root, string path)
    {
        var element = root;
        foreach (var part in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.Null ? null : element;
    }

    /// <summary>A route value as the resource knows it (the routes take ids as they are stored: a user name in lower case).</summary>
    private static string RouteValue(object? value) => Uri.UnescapeDataString(value?.ToString() ?? "");

    [LoggerMessage(LogLevel.Error, "A change ({Action} by {User}) was applied but its audit entry could not be stored")]
    private static partial void LogFailed(ILogger logger, Exception ex, string action, string user);
}
