using CmacLive.Throttling;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CmacLive.Api.Auth;

/// <summary>
/// Refused credentials per source address on this silo (a bearer token or API key that does not hold, a failed
/// sign-in): after <see cref="AuthOptions.FailuresPerAddress"/> within a minute, the address's requests to the API, the
/// hub, the metrics scrape and the Orleans Dashboard that carry no valid credential answer 429 with <c>Retry-After</c> for <see cref="AuthOptions.AddressBackoff"/>,
/// without a signature check, a grain call or a password check. Requests with a valid credential from the same
/// address (an operations room behind one NAT) are never held back. At most <see cref="AuthOptions.SignInTrackedNames"/>
/// addresses are remembered.
/// </summary>
public sealed class AddressThrottle(IOptions<AuthOptions> options, [FromKeyedServices(AuthClock.Key)] TimeProvider time, AuthStats stats)
{
    private readonly FailureLimiter _addresses = new(options.Value.FailuresPerAddress, options.Value.AddressBackoff,
        options.Value.AddressBackoff, options.Value.SignInTrackedNames, time);

    public void Failed(HttpContext context)
    {
        if (Address(context) is { } address)
        {
            _addresses.Failed(address);
        }
    }

    /// <summary>Holds back the API and hub requests without a valid credential from an address that keeps presenting bad ones.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.User.Identity?.IsAuthenticated != true
            && IsGuarded(context.Request.Path)
            && Address(context) is { } address && _addresses.Blocked(address) is { } wait)
        {
            stats.AddressHeldBack();
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsJsonAsync(new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many refused credentials",
                Detail = $"this address presented too many credentials that were refused; try again in {seconds} s",
            }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
            return;
        }

        await next(context);
    }

    /// <summary>The routes that take a credential: the API, the hub, the metrics scrape and the Orleans Dashboard.</summary>
    private static bool IsGuarded(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs") || path.StartsWithSegments("/metrics")
        || path.StartsWithSegments(Monitoring.OrleansDashboardAccess.Path);

    private static string? Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();
}
