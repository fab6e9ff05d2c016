using System.Security.Claims;
using CmacLive.People;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CmacLive.Api.Auth;

/// <summary>Signs the silo's own access tokens: JWTs (HS256) naming the user and its stamp, valid for <see cref="AuthOptions.TokenLifetime"/>.</summary>
public sealed class TokenIssuer(SigningKeys keys, IOptions<AuthOptions> options, [FromKeyedServices(AuthClock.Key)] TimeProvider time)
{
    public const string Issuer = "cmaclive";
    public const string Audience = "cmaclive";
    public const string StampClaim = "stamp";

    private readonly JsonWebTokenHandler _handler = new();

    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(UserAccess user)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var key = await keys.ForSigningAsync();
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = user.Username,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            [StampClaim] = user.Stamp,
            ["roles"] = user.Roles,
        };
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            Subject = new ClaimsIdentity(),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
