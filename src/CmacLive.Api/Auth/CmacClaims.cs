using System.Security.Claims;

namespace CmacLive.Api.Auth;

/// <summary>How a caller signed in, and the claims the silo keeps on its principal to check it again later (hub connections).</summary>
public static class CmacClaims
{
    /// <summary>How the caller signed in: one of the <c>Via*</c> values.</summary>
    public const string Via = "cmac:via";
    public const string Stamp = "cmac:stamp";
    public const string KeyId = "cmac:key";
    public const string DisplayName = "cmac:display-name";

    /// <summary>Unix seconds after which the credential is no longer valid.</summary>
    public const string Expires = "cmac:expires";

    public const string ViaToken = "token";
    public const string ViaApiKey = "api-key";
    public const string ViaBreakGlass = "break-glass";
    public const string ViaOidc = "oidc";

    public static ClaimsPrincipal Principal(
        string scheme, string name, string displayName, IEnumerable<string> roles, string via,
        string? stamp = null, string? keyId = null, DateTimeOffset? expires = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            new(DisplayName, displayName),
            new(Via, via),
        };
        claims.AddRange(roles.Distinct(StringComparer.Ordinal).Select(r => new Claim(ClaimTypes.Role, r)));
        if (stamp is not null)
        {
            claims.Add(new Claim(Stamp, stamp));
        }

        if (keyId is not null)
        {
            claims.Add(new Claim(KeyId, keyId));
        }

        if (expires is { } at)
        {
            claims.Add(new Claim(Expires, at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static DateTimeOffset? ExpiresOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(Expires), System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Who the caller is, for trails and the audit.</summary>
    public static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    public static string[] RolesOf(ClaimsPrincipal user) => [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)];
}
