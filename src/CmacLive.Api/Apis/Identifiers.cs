using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CmacLive.Api.Apis;

/// <summary>
/// What ids may look like. Device ids become MQTT usernames and topic levels, so no wildcards or slashes; ids stand in
/// URLs, so none is only dots and a code has no empty, <c>.</c> or <c>..</c> level. Every pattern ends with <c>\z</c>:
/// <c>$</c> would also match before a final line feed.
/// </summary>
public static partial class Identifiers
{
    public const string IdRule = CmacLive.Devices.DeviceIds.Rule;

    public const string CodeRule = "must be 1–64 characters of letters, digits, '/', '.', '_' or '-', in levels split by '/' that are neither empty, '.' nor '..'";

    public static bool IsId([NotNullWhen(true)] string? id) => CmacLive.Devices.DeviceIds.IsValid(id);

    /// <summary>A hazard-area code such as <c>BS/CHA/CMAA/60222</c>.</summary>
    public static bool IsCode([NotNullWhen(true)] string? code) =>
        code is not null && CodePattern().IsMatch(code) && code.Split('/').All(level => level.AsSpan().ContainsAnyExcept('.'));

    /// <summary>A detection's id (its device's id and a time) or an alert's (its rule, subject and time): letters, digits, '.', '_', '-'.</summary>
    public static bool IsLongId([NotNullWhen(true)] string? id, int max) => CmacLive.Devices.DeviceIds.IsValidCompound(id, max);

    [GeneratedRegex(@"^[A-Za-z0-9/._-]{1,64}\z")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,31}\z")]
    public static partial Regex Capability();

    /// <summary>An id as an answer may echo it: at most 100 characters.</summary>
    public static string Shown(string id) => id.Length <= 100 ? id : string.Concat(id.AsSpan(0, 100), "…");
}
