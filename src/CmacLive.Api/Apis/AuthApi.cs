using System.Security.Claims;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.People;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

/// <summary>Signing in, who the caller is, and the signing keys' rotation.</summary>
public static class AuthApi
{
    private const string Tag = "Sign-in";
    private const string JsonType = "application/json";

    private const string WrongCredentials = "the user name or password is wrong";

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", SignIn).AllowAnonymous().WithTags(Tag).WithName("SignIn").WithSummary("Sign in: a token for the shift")
            .Accepts<AuthBodies.SignInBody>(JsonType).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/me", Me).RequireAuthorization(Policies.SignedIn).WithTags(Tag).WithName("GetMe").WithSummary("Who the caller is");
        api.MapGet("/auth/stats", Stats).RequireAuthorization(Policies.Admin).WithTags(Tag).WithName("GetAuthStats").WithSummary("This silo's sign-in and audit counters");
        api.MapPost("/auth/signing-keys/rotate", Rotate).RequireAuthorization(Policies.Admin).Audited("signing-key.rotate", "signing-keys:cluster")
            .WithTags(Tag).WithName("RotateSigningKeys").WithSummary("A new token signing key");
        return api;
    }

    public sealed record TokenAnswer(string AccessToken, DateTimeOffset ExpiresAt, string[] Roles, string Username, string DisplayName);

    public sealed record MeAnswer(string Username, string DisplayName, string[] Roles, DateTimeOffset? ExpiresAt, string Via);

    public sealed record SigningKeyInfo(string Kid, DateTimeOffset NotBefore, DateTimeOffset CreatedAt);

    public sealed record StatsAnswer(
        long SignIns, long SignInsFailed, long SignInsThrottled, long SignInsShed, long Refused, long AddressesHeldBack, int HubConnections, long HubConnectionsClosed,
        long AuditRecorded, long AuditFailed);

    /// <summary>
    /// <c>POST /api/auth/token</c> <c>{username, password}</c>: a token for the shift. A wrong name and a wrong password
    /// answer the same 401 in about the same time; after too many failures for one name, 429 with <c>Retry-After</c>.
    /// </summary>
    public static async Task<Results<Ok<TokenAnswer>, ValidationProblem, ProblemHttpResult>> SignIn(
        HttpRequest request, HttpResponse response, IGrainFactory grains, PasswordHashing passwords, SignInThrottle throttle,
        AddressThrottle addresses, TokenIssuer issuer, AuthStats stats, CancellationToken cancellationToken)
    {
        var read = await BodyRead<AuthBodies.Credentials>.ReadAsync(request, AuthBodies.Credentials.Read, cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        var username = body.Username;
        if (throttle.Begin(username) is { } wait)
        {
            stats.SignInThrottled();
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
                detail: $"too many failed sign-ins for this user name; try again in {seconds} s");
        }

        var credentials = UserNames.IsValid(username) ? await grains.GetGrain<IUserGrain>(username).GetCredentials() : null;
        if (await passwords.VerifyAsync(credentials?.PasswordHash, body.Password, cancellationToken) is not { } verified)
        {
            stats.SignInShed();
            response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy",
                detail: "too many sign-ins are being checked at this moment; try again in a second");
        }

        if (!verified || credentials is not { Access.Disabled: false })
        {
            stats.SignInFailed();
            addresses.Failed(request.HttpContext);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: WrongCredentials);
        }

        throttle.Forget(username);
        stats.SignedIn();
        var access = credentials!.Access;
        var (token, expires) = await issuer.IssueAsync(access);
        return TypedResults.Ok(new TokenAnswer(token, expires, access.Roles, access.Username, access.DisplayName));
    }

    /// <summary><c>GET /api/me</c>: the caller's name, display name and roles, and when its credential expires.</summary>
    public static Ok<MeAnswer> Me(ClaimsPrincipal user) => TypedResults.Ok(new MeAnswer(
        CmacClaims.NameOf(user),
        user.FindFirstValue(CmacClaims.DisplayName) ?? CmacClaims.NameOf(user),
        CmacClaims.RolesOf(user),
        CmacClaims.ExpiresOf(user),
        user.FindFirstValue(CmacClaims.Via) ?? "unknown"));

    /// <summary><c>GET /api/auth/stats</c>: this silo's sign-ins, refusals, hub connections and audit entries since start.</summary>
    public static Ok<StatsAnswer> Stats(AuthStats stats, HubSessions hubs, Audit.AuditStats audit) => TypedResults.Ok(new StatsAnswer(
        stats.SignIns, stats.SignInsFailed, stats.SignInsThrottled, stats.SignInsShed, stats.Refused, stats.AddressesHeldBack, hubs.Count, stats.HubConnectionsClosed,
        audit.RecordedCount, audit.FailedCount));

    /// <summary>
    /// <c>POST /api/auth/signing-keys/rotate[?retire=true]</c>: a new signing key, signing from 30 s on; tokens signed before
    /// stay valid until they expire. With <c>retire=true</c> (a key may have leaked) the old keys are dropped at once: every
    /// silo token stops within 10 s and everyone signs in again (API keys and the break-glass token are not tokens and go on).
    /// </summary>
    public static async Task<Results<Ok<SigningKeyInfo[]>, ValidationProblem>> Rotate(string? retire, SigningKeys keys)
    {
        var retireOld = false;
        if (retire is not null && !bool.TryParse(retire, out retireOld))
        {
            return Problems.Field("retire", "must be true or false");
        }

        var ring = await keys.RotateAsync(retireOld);
        return TypedResults.Ok(ring.Keys.Select(k => new SigningKeyInfo(k.Kid, k.NotBefore, k.CreatedAt)).ToArray());
    }
}
