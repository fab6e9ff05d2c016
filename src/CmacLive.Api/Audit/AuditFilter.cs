using System.Text.Json;
using System.Text.Json.Nodes;
using CmacLive.Api.Auth;
using CmacLive.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Audit;

/// <summary>
/// Records every change made through REST in the audit trail, in one place: after a route that changes something
/// answers 2xx, the signed-in user, the body's <c>by</c> (as <c>onBehalfOf</c>), the action, the target and what was
/// sent (without secrets, passwords, reporters' personal data or geometry) are appended. The answer goes out once
/// the entry is durable. A failed append is logged and counted; the change itself stands.
/// </summary>
public sealed partial class AuditFilter(string action, string target) : IEndpointFilter
{
    private const int MaxDetail = 2000;

    /// <summary>Body members never kept: secrets, and personal data erased after its retention while the trail stays.</summary>
    private static readonly HashSet<string> Withheld = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "secret", "reporterName", "reporterPhone", "description", "photoRef", "geometry", "by",
    };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Request.EnableBuffering();
        var result = await next(context);
        var status = StatusOf(result);
        if (status is < 200 or >= 300)
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
                User = AuthServiceCollectionExtensions.UserName(http.User),
                OnBehalfOf = onBehalfOf,
                Action = action,
                Target = TargetOf(http.Request, result),
                Detail = detail,
            }, CancellationToken.None);
            stats.Recorded();
        }
        catch (Exception ex)
        {
            stats.Failed();
            LogFailed(services.GetRequiredService<ILogger<AuditFilter>>(), ex, action, AuthServiceCollectionExtensions.UserName(http.User));
        }

        return result;
    }

    private static int? StatusOf(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: { } code } ? code : null;
    }

    /// <summary>The target with its route values put in; a created resource's id from its location when the route has none.</summary>
    private string TargetOf(HttpRequest request, object? result)
    {
        var text = target;
        foreach (var (name, value) in request.RouteValues)
        {
            text = text.Replace("{" + name + "}", Uri.UnescapeDataString(value?.ToString() ?? ""), StringComparison.Ordinal);
        }

        if (text.Contains("{new}", StringComparison.Ordinal))
        {
            while (result is INestedHttpResult nested)
            {
                result = nested.Result;
            }

            var location = result?.GetType().GetProperty("Location")?.GetValue(result) as string;
            text = text.Replace("{new}", location is null ? "?" : Uri.UnescapeDataString(location[(location.LastIndexOf('/') + 1)..]), StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The body as sent, less what is withheld, with the route's values; and its <c>by</c>.</summary>
    private static async Task<(string? Detail, string? OnBehalfOf)> DetailAsync(HttpRequest request)
    {
        var detail = new JsonObject();
        foreach (var (name, value) in request.RouteValues)
        {
            detail[name] = Uri.UnescapeDataString(value?.ToString() ?? "");
        }

        string? onBehalfOf = null;
        if (request.Body.CanSeek && request.Body.Length > 0)
        {
            request.Body.Position = 0;
            try
            {
                if (await JsonNode.ParseAsync(request.Body) is JsonObject body)
                {
                    onBehalfOf = body["by"] is JsonValue by && by.TryGetValue<string>(out var name) && !string.IsNullOrWhiteSpace(name) ? name.Trim() : null;
                    foreach (var (name2, value) in body.ToArray())
                    {
                        if (!Withheld.Contains(name2))
                        {
                            body.Remove(name2);
                            detail[name2] = value;
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // the route accepted it, so this does not happen; the trail then keeps the route's values only
            }
        }

        var text = detail.Count == 0 ? null : detail.ToJsonString();
        return (text is { Length: > MaxDetail } ? text[..MaxDetail] : text, onBehalfOf);
    }

    [LoggerMessage(LogLevel.Error, "A change ({Action} by {User}) was applied but its audit entry could not be stored")]
    private static partial void LogFailed(ILogger logger, Exception ex, string action, string user);
}

/// <summary>Audit entries recorded and failed on this silo, since start.</summary>
public sealed class AuditStats
{
    private long _recorded;
    private long _failed;

    public long RecordedCount => Interlocked.Read(ref _recorded);

    public long FailedCount => Interlocked.Read(ref _failed);

    public void Recorded() => Interlocked.Increment(ref _recorded);

    public void Failed() => Interlocked.Increment(ref _failed);
}

public static class AuditEndpointExtensions
{
    /// <summary>Records this route's successful calls in the audit trail as <paramref name="action"/> on <paramref name="target"/> (<c>kind:{routeValue}</c>).</summary>
    public static RouteHandlerBuilder Audited(this RouteHandlerBuilder builder, string action, string target) =>
        builder.AddEndpointFilter(new AuditFilter(action, target));
}
