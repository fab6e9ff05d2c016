using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CmacLive.Api.Auth;

/// <summary>A 403 says which roles may, as problem+json; everything else is the platform's own handling.</summary>
public sealed class ForbiddenAnswer : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || context.Request.Path.StartsWithSegments("/hubs"))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var allowed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<RolesAuthorizationRequirement>()
            .SelectMany(r => r.AllowedRoles).Distinct(StringComparer.Ordinal).ToArray() ?? [];
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Forbidden",
            Detail = allowed.Length > 0
                ? $"this needs one of the roles {string.Join(", ", allowed)}; you hold {(CmacClaims.RolesOf(context.User) is { Length: > 0 } held ? string.Join(", ", held) : "none")}"
                : "your roles may not do this",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        };
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
