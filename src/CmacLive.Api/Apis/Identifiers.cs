using System.Text.RegularExpressions;

namespace CmacLive.Api.Apis;

/// <summary>What ids may look like. Device ids become MQTT usernames and topic levels, so no wildcards or slashes.</summary>
public static partial class Identifiers
{
    public const string IdRule = CmacLive.Devices.DeviceIds.Rule;

    public const string CodeRule = "must be 1–64 characters of letters, digits, '/', '.', '_' or '-'";

    public static bool IsId(string? id) => CmacLive.Devices.DeviceIds.IsValid(id);

    [GeneratedRegex("^[A-Za-z0-9/._-]{1,64}$")]
    public static partial Regex Code();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    public static partial Regex Capability();
}
