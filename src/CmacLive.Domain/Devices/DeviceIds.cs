using System.Text.RegularExpressions;

namespace CmacLive.Devices;

/// <summary>
/// What asset and device ids may look like: 1–64 letters, digits, '.', '_' or '-'. Device ids are MQTT
/// usernames and topic levels, so no wildcards or slashes.
/// </summary>
public static partial class DeviceIds
{
    public const string Rule = "must be 1–64 characters of letters, digits, '.', '_' or '-'";

    /// <summary>Separates a device id from the rest of an MQTT client id (<c>trk-0001:phone</c>).</summary>
    public const char ClientIdSeparator = ':';

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>
    /// A device's MQTT client id is its own id, or its id, ':' and anything: no device can take over
    /// another's session by naming itself after it.
    /// </summary>
    public static bool IsOwnClientId(string clientId, string deviceId) =>
        clientId == deviceId
        || (clientId.Length > deviceId.Length + 1 && clientId.StartsWith(deviceId, StringComparison.Ordinal)
            && clientId[deviceId.Length] == ClientIdSeparator);
}
