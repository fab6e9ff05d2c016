using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CmacLive.Api.Auth;

/// <summary>The 401 every scheme answers: problem+json saying why, and the bearer challenge.</summary>
public static class AuthProblems
{
    public static async Task WriteUnauthorizedAsync(HttpContext context, string detail)
    {
        (context.RequestServices.GetService(typeof(AuthStats)) as AuthStats)?.RefusedOne();
        if (BearerToken.From(context.Request) is not null)
        {
            // A credential presented and refused (not merely none): counted against the address.
            (context.RequestServices.GetService(typeof(AddressThrottle)) as AddressThrottle)?.Failed(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "Unauthorized",
            Detail = detail,
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        };
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    /// <summary>503 when the credential could not be checked now; the caller tries again, and stays signed in.</summary>
    public static async Task WriteUnavailableAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "2";
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Detail = "the sign-in could not be checked at this moment; try again in a few seconds",
            Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        };
        await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    public static string Detail(HttpContext context, Exception? failure) =>
        BearerToken.From(context.Request) is null ? "a bearer token is required"
        : failure is Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException or Microsoft.IdentityModel.Tokens.SecurityTokenInvalidLifetimeException
            ? "the bearer token has expired; sign in again"
            : "the bearer token is not valid";
}
