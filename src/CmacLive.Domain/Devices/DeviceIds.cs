using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CmacLive.Devices;

/// <summary>
/// What asset and device ids may look like: 1–64 letters, digits, '.', '_' or '-', not only dots. Device ids are
/// MQTT usernames and topic levels and stand in URLs, so no wildcards, slashes, control characters or <c>..</c>.
/// </summary>
public static partial class DeviceIds
{
    public const string Rule = "must be 1–64 characters of letters, digits, '.', '_' or '-', and not only dots";

    /// <summary>Separates a device id from the rest of an MQTT client id (<c>trk-0001:phone</c>).</summary>
    public const char ClientIdSeparator = ':';

    // \z, not $: $ also matches before a final line feed.
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex Pattern();

    public static bool IsValid([NotNullWhen(true)] string? id) => id is not null && Pattern().IsMatch(id) && id.AsSpan().ContainsAnyExcept('.');

    /// <summary>
    /// An id made from others, of the same characters but longer: a detection's (<c>{deviceId}-{ms}</c>) or an alert's
    /// (its rule, subject and time), at most <paramref name="max"/> characters.
    /// </summary>
    public static bool IsValidCompound([NotNullWhen(true)] string? id, int max) =>
        id is { Length: > 0 } && id.Length <= max && !id.AsSpan().ContainsAnyExcept(IdCharacters) && id.AsSpan().ContainsAnyExcept('.');

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>
    /// A device's MQTT client id is its own id, or its id, ':' and anything: no device can take over
    /// another's session by naming itself after it.
    /// </summary>
    public static bool IsOwnClientId(string clientId, string deviceId) =>
        clientId == deviceId
        || (clientId.Length > deviceId.Length + 1 && clientId.StartsWith(deviceId, StringComparison.Ordinal)
            && clientId[deviceId.Length] == ClientIdSeparator);
}
