using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Api.Auth;

/// <summary>
/// Bearer credentials that are not JWTs: the break-glass <c>Auth:AdminToken</c> (role <c>admin</c>) and users' API
/// keys (<c>cmk_…</c>), checked against this silo's copy of their user (<see cref="AccessCache"/>).
/// </summary>
public sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminToken admin,
    AccessCheck check) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "cmac-key";

    /// <summary>Who the break-glass token acts as in trails and the audit; no user may take this name.</summary>
    public const string BreakGlassName = "break-glass";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = BearerToken.From(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (admin.Matches(token))
        {
            // Named apart from every user (the name is reserved), so the audit trail tells its use from the first administrator's.
            return Success(CmacClaims.Principal(SchemeName, BreakGlassName, "Break-glass administrator", [Roles.Admin], CmacClaims.ViaBreakGlass));
        }

        if (!BearerToken.TryParseApiKey(token, out var id, out var secret))
        {
            return AuthenticateResult.Fail("the bearer token is not valid");
        }

        try
        {
            return await check.ApiKeyAsync(id, secret) is var (user, key)
                ? Success(CmacClaims.Principal(SchemeName, user.Username, user.DisplayName, AccessCheck.RolesOf(user, key),
                    CmacClaims.ViaApiKey, keyId: key.Id, expires: key.ExpiresAt))
                : AuthenticateResult.Fail("the bearer token is not valid");
        }
        catch (AccessUnavailableException ex)
        {
            return AuthenticateResult.Fail(ex);
        }
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if ((await HandleAuthenticateOnceSafeAsync()).Failure is AccessUnavailableException)
        {
            await AuthProblems.WriteUnavailableAsync(Context);
            return;
        }

        await AuthProblems.WriteUnauthorizedAsync(Context, AuthProblems.Detail(Context, null));
    }

    private AuthenticateResult Success(System.Security.Claims.ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
}
