using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using CmacLive.People;
using Microsoft.IdentityModel.Tokens;

namespace CmacLive.Api.Auth;

/// <summary>
/// Who is calling: the silo's own tokens (JWTs it signs with the cluster's keys), API keys and the break-glass
/// token, and, when <c>Auth:Oidc:Authority</c> is set, an external identity provider's tokens. One bearer
/// scheme looks at the credential and hands it to the handler for its kind.
/// </summary>
public static class AuthServiceCollectionExtensions
{
    public const string Scheme = "Bearer";
    public const string SiloTokens = "cmac-jwt";
    public const string ExternalTokens = "oidc";

    public static IServiceCollection AddCmacLiveAuth(this IServiceCollection services, IConfiguration configuration, AdminToken admin)
    {
        var section = configuration.GetSection(AuthOptions.Section);
        var settings = section.Get<AuthOptions>() ?? new AuthOptions();
        services.AddOptions<AuthOptions>().Bind(section)
            .Validate(o => o.TokenLifetime > TimeSpan.Zero && o.AccessRefresh > TimeSpan.Zero && o.SignInFailureLimit > 0
                && o.SignInBackoff > TimeSpan.Zero && o.SignInMaxBackoff >= o.SignInBackoff && o.SignInTrackedNames > 0
                && o.PasswordIterations >= 100_000 && o.SigningKeyRotation > TimeSpan.Zero && o.PasswordChecksAtOnce > 0 && o.PasswordCheckQueue >= 0
                && o.FailuresPerAddress > 0 && o.AddressBackoff > TimeSpan.Zero,
                "Auth: TokenLifetime, AccessRefresh, SignInBackoff and SigningKeyRotation must be positive, SignInMaxBackoff at least SignInBackoff, SignInFailureLimit, SignInTrackedNames and PasswordChecksAtOnce above 0, PasswordCheckQueue not negative, PasswordIterations at least 100000, FailuresPerAddress and AddressBackoff above 0")
            .ValidateOnStart();
        services.AddSingleton(admin);
        services.TryAddKeyedSingleton(AuthClock.Key, TimeProvider.System);
        services.AddSingleton<AuthStats>();
        services.AddSingleton<AccessCache>();
        services.AddSingleton<AccessCheck>();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AddressThrottle>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<SigningKeys>();
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeys>());
        services.AddSingleton<HubSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<HubSessions>());

        var oidc = settings.Oidc.Authority is { Length: > 0 };
        if (oidc && string.IsNullOrWhiteSpace(settings.Oidc.Audience))
        {
            // Without it, a token the provider made for any other application of the realm would be taken here.
            throw new InvalidOperationException("Auth:Oidc:Authority is set but Auth:Oidc:Audience is not: name the client id this silo's tokens are issued for.");
        }

        var auth = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer credentials", o => o.ForwardDefaultSelector = context => Select(context.Request, admin, oidc))
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null)
            .AddJwtBearer(SiloTokens, o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = TokenIssuer.Issuer,
                    ValidAudience = TokenIssuer.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.Zero,
                };
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = TakeToken,
                    OnTokenValidated = SiloTokenValidated,
                    OnChallenge = Challenge,
                };
            });
        services.AddOptions<JwtBearerOptions>(SiloTokens).Configure<SigningKeys, IServiceProvider>((o, keys, sp) =>
        {
            o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, kid, _) => keys.Resolve(kid);
            o.TokenValidationParameters.LifetimeValidator = Lifetime(sp.GetRequiredKeyedService<TimeProvider>(AuthClock.Key));
        });

        if (oidc)
        {
            auth.AddJwtBearer(ExternalTokens, o =>
            {
                o.Authority = settings.Oidc.Authority;
                o.Audience = settings.Oidc.Audience;
                o.RequireHttpsMetadata = settings.Oidc.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.ValidateAudience = true;
                o.TokenValidationParameters.ValidAlgorithms =
                [
                    SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                    SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384,
                ];
                o.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = TakeToken,
                    OnTokenValidated = context => ExternalTokenValidated(context, settings.Oidc),
                    OnChallenge = Challenge,
                };
            });
        }

        services.AddAuthorization(Policies.Add);
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ForbiddenAnswer>();
        return services;
    }

    /// <summary>Which handler reads the credential: JWTs by their issuer, anything else as a key or the break-glass token.</summary>
    private static string Select(Microsoft.AspNetCore.Http.HttpRequest request, AdminToken admin, bool oidc)
    {
        var token = BearerToken.From(request);
        if (token is null)
        {
            return SiloTokens;
        }

        if (!BearerToken.LooksLikeJwt(token) || admin.Matches(token))
        {
            return ApiKeyHandler.SchemeName;
        }

        if (oidc)
        {
            try
            {
                if (new JsonWebToken(token).Issuer != TokenIssuer.Issuer)
                {
                    return ExternalTokens;
                }
            }
            catch (ArgumentException)
            {
                // not a readable JWT: the silo's handler refuses it
            }
        }

        return SiloTokens;
    }

    private static Task TakeToken(MessageReceivedContext context)
    {
        context.Token = BearerToken.From(context.Request);
        return Task.CompletedTask;
    }

    private static async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (context.AuthenticateFailure is AccessUnavailableException)
        {
            await AuthProblems.WriteUnavailableAsync(context.HttpContext);
            return;
        }

        await AuthProblems.WriteUnauthorizedAsync(context.HttpContext, AuthProblems.Detail(context.HttpContext, context.AuthenticateFailure));
    }

    private static LifetimeValidator Lifetime(TimeProvider time) => (notBefore, expires, _, _) =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } end && end > now && (notBefore is not { } start || start <= now.AddSeconds(5));
    };

    /// <summary>A silo token holds while its user is there, enabled and of the same stamp; the roles are the user's now.</summary>
    private static async Task SiloTokenValidated(TokenValidatedContext context)
    {
        var check = context.HttpContext.RequestServices.GetRequiredService<AccessCheck>();
        if (context.SecurityToken is not JsonWebToken jwt || jwt.Subject is not { Length: > 0 } name)
        {
            context.Fail("the token names no user");
            return;
        }

        UserAccess? user;
        try
        {
            user = await check.TokenAsync(name, jwt.TryGetPayloadValue<string>(TokenIssuer.StampClaim, out var stamp) ? stamp : null);
        }
        catch (AccessUnavailableException ex)
        {
            context.Fail(ex);
            return;
        }

        if (user is null)
        {
            context.Fail("the token was revoked");
            return;
        }

        context.Principal = CmacClaims.Principal(SiloTokens, user.Username, user.DisplayName, user.Roles, CmacClaims.ViaToken,
            stamp: user.Stamp, expires: new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    /// <summary>An external token's user and roles: the roles its role claim names that this product knows.</summary>
    private static Task ExternalTokenValidated(TokenValidatedContext context, OidcOptions oidc)
    {
        if (context.SecurityToken is not JsonWebToken jwt)
        {
            context.Fail("not a JWT");
            return Task.CompletedTask;
        }

        var name = jwt.TryGetPayloadValue<string>(oidc.NameClaim, out var named) && named is { Length: > 0 } ? named : jwt.Subject;
        if (string.IsNullOrEmpty(name))
        {
            context.Fail("the token names no user");
            return Task.CompletedTask;
        }

        var roles = ExternalRoles(jwt, oidc.RoleClaim).Where(Roles.IsKnown).ToArray();
        context.Principal = CmacClaims.Principal(ExternalTokens, name, name, roles, CmacClaims.ViaOidc,
            expires: new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
        return Task.CompletedTask;
    }

    /// <summary>The values at a claim path (<c>roles</c>, <c>realm_access.roles</c>): a string or an array of strings.</summary>
    public static IEnumerable<string> ExternalRoles(JsonWebToken jwt, string path)
    {
        var parts = path.Split('.');
        JsonElement element;
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload));
            element = payload.RootElement.Clone();
        }
        catch (JsonException)
        {
            return [];
        }

        foreach (var part in parts)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return [];
            }
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => [element.GetString()!],
            JsonValueKind.Array => [.. element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            _ => [],
        };
    }
}
