using System.Security.Claims;
using CmacLive.People;
using Microsoft.Extensions.DependencyInjection;

namespace CmacLive.Api.Auth;

/// <summary>
/// Whether a credential still holds now: the user is there and enabled, the token's stamp is the user's, the key
/// is still the user's and unexpired. Used when a request signs in and, every second, for open hub connections.
/// </summary>
public sealed class AccessCheck(AccessCache cache, [FromKeyedServices(AuthClock.Key)] TimeProvider time)
{
    /// <summary>The user's current access for a silo token with that stamp, or null when it no longer holds.</summary>
    public async ValueTask<UserAccess?> TokenAsync(string username, string? stamp)
    {
        var access = await cache.GetAsync(username);
        return access is { Disabled: false } && access.Stamp == stamp ? access : null;
    }

    /// <summary>The user's access and the key, or null when the key does not hold (unknown, revoked, expired, wrong secret, user gone).</summary>
    public async ValueTask<(UserAccess User, ApiKeyAccess Key)?> ApiKeyAsync(string keyId, string? secret)
    {
        var owner = await cache.KeyOwnerAsync(keyId);
        if (owner is null || await cache.GetAsync(owner) is not { Disabled: false } access
            || access.Keys.FirstOrDefault(k => k.Id == keyId) is not { } key
            || key.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            return null;
        }

        if (secret is not null && !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(BearerToken.HashSecret(secret), key.Hash))
        {
            return null;
        }

        return (access, key);
    }

    /// <summary>The roles a key grants now: its own, within its user's current roles; or the user's when it names none.</summary>
    public static string[] RolesOf(UserAccess user, ApiKeyAccess key) =>
        key.Roles is null ? user.Roles : [.. key.Roles.Intersect(user.Roles, StringComparer.Ordinal)];

    /// <summary>Whether an already signed-in principal (a hub connection) still holds.</summary>
    public async ValueTask<bool> StillHoldsAsync(ClaimsPrincipal user)
    {
        if (CmacClaims.ExpiresOf(user) is { } expires && expires <= time.GetUtcNow())
        {
            return false;
        }

        // Roles changed since the connection opened also end it: what it was sent (masked or not, which units) followed them.
        var name = user.Identity?.Name ?? "";
        var roles = CmacClaims.RolesOf(user);
        return user.FindFirstValue(CmacClaims.Via) switch
        {
            CmacClaims.ViaToken => await TokenAsync(name, user.FindFirstValue(CmacClaims.Stamp)) is { } access && Same(access.Roles, roles),
            CmacClaims.ViaApiKey => user.FindFirstValue(CmacClaims.KeyId) is { } id && await ApiKeyAsync(id, null) is var (owner, key) && Same(RolesOf(owner, key), roles),
            CmacClaims.ViaBreakGlass => true,
            CmacClaims.ViaOidc => true,
            _ => false,
        };
    }

    private static bool Same(string[] a, string[] b) => a.Length == b.Length && !a.Except(b, StringComparer.Ordinal).Any();
}
