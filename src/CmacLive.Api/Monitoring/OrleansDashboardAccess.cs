using CmacLive.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Monitoring;

/// <summary>
/// How an admin's browser reaches the Orleans Dashboard at <see cref="Path"/>: its page fetches its data itself and cannot
/// send the bearer header the rest of the API needs, so <c>POST /api/monitoring/orleans-session</c> (admin, with the bearer
/// header) sets the caller's own credential as a cookie that only <see cref="Path"/> receives (HttpOnly, SameSite=Strict,
/// Secure over HTTPS, gone when the browser closes). Every dashboard request is then checked like any other: the token's
/// signature and expiry, the user's current roles, the admin policy. No other route reads the cookie, so it cannot be
/// used to make the API act on an admin's behalf from another site.
/// </summary>
public static class OrleansDashboardAccess
{
    public const string Path = "/orleans";
    public const string SessionRoute = "/api/monitoring/orleans-session";
    public const string CookieName = "cmaclive-orleans";

    /// <summary>The credential a request to the Orleans Dashboard carries in its cookie, if any.</summary>
    public static string? CookieCredential(HttpRequest request) =>
        request.Path.StartsWithSegments(Path) && request.Cookies[CookieName] is { Length: > 0 } credential ? credential : null;

    public static RouteHandlerBuilder MapOrleansDashboardSession(this IEndpointRouteBuilder app) =>
        app.MapPost(SessionRoute, (HttpContext context) =>
        {
            context.Response.Cookies.Append(CookieName, BearerToken.From(context.Request)!, new CookieOptions
            {
                Path = Path,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                IsEssential = true,
            });
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.Admin);
}
