using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace CmacLive.Api.Auth;

/// <summary>
/// Where a bearer credential travels (<c>Authorization: Bearer T</c>, or <c>?access_token=T</c> on the hub, as
/// SignalR clients send it over WebSockets, or the Orleans Dashboard's cookie on its own path only) and what an API key looks like: <c>cmk_{id}_{secret}</c>, a 16-hex-digit
/// id that finds its user and a 256-bit random secret of which only the SHA-256 is stored.
/// </summary>
public static class BearerToken
{
    private const string KeyPrefix = "cmk_";
    private const int KeyIdLength = 16;

    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim() is { Length: > 0 } token ? token : null;
        }

        if (request.Path.StartsWithSegments("/hubs") && request.Query["access_token"].ToString() is { Length: > 0 } query)
        {
            return query;
        }

        return Monitoring.OrleansDashboardAccess.CookieCredential(request);
    }

    /// <summary>A compact JWS: three base64url parts.</summary>
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2 && !token.StartsWith(KeyPrefix, StringComparison.Ordinal);

    /// <summary>A new API key: the text handed out once, its id and the hash to store.</summary>
    public static (string Key, string Id, byte[] Hash) NewApiKey()
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(KeyIdLength / 2)).ToLowerInvariant();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return ($"{KeyPrefix}{id}_{secret}", id, HashSecret(secret));
    }

    public static bool TryParseApiKey(string token, [NotNullWhen(true)] out string? id, [NotNullWhen(true)] out string? secret)
    {
        id = null;
        secret = null;
        if (!token.StartsWith(KeyPrefix, StringComparison.Ordinal) || token.Length < KeyPrefix.Length + KeyIdLength + 2
            || token[KeyPrefix.Length + KeyIdLength] != '_')
        {
            return false;
        }

        var candidate = token.Substring(KeyPrefix.Length, KeyIdLength);
        if (!candidate.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        id = candidate;
        secret = token[(KeyPrefix.Length + KeyIdLength + 1)..];
        return true;
    }

    public static byte[] HashSecret(string secret) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));
}
