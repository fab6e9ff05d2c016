using System.Text.Json;
using System.Text.Json.Nodes;

namespace CmacLive.Ingestion;

/// <summary>
/// The commands of Mosquitto's dynamic-security plugin the silo sends (JSON on <c>$CONTROL/dynamic-security/v1</c>,
/// see the plugin's README), and the roles it keeps: one for the silos, one per device.
/// </summary>
public static class DynamicSecurityCommands
{
    /// <summary>The silos' role: the plugin's commands and answers, the shared uplink subscription, the downlinks.</summary>
    public const string SiloRole = "cmaclive-silo";

    /// <summary>A device's role is this and its id: its own uplinks and downlinks only.</summary>
    public const string DeviceRolePrefix = "cmaclive-device-";

    public const string CommandTopic = "$CONTROL/dynamic-security/v1";
    public const string ResponseTopic = CommandTopic + "/response";

    /// <summary>The device's downlinks besides <c>cmac/v1/{id}/cmd</c>: an OwnTracks app's own command topics.</summary>
    private const string OwnTracksCommands = "owntracks/{0}/+/cmd";

    public static string DeviceRole(string deviceId) => DeviceRolePrefix + deviceId;

    public static IReadOnlyList<DynamicSecurityAcl> SiloAcls(string sharedGroup) =>
    [
        new("publishClientSend", CommandTopic),
        new("subscribeLiteral", ResponseTopic),
        new("publishClientReceive", ResponseTopic),
        .. ExternalMqttSubscriber.UplinkFilters.Select(f => new DynamicSecurityAcl("subscribeLiteral", $"$share/{sharedGroup}/{f}")),
        .. ExternalMqttSubscriber.UplinkFilters.Select(f => new DynamicSecurityAcl("publishClientReceive", f)),
        new("publishClientSend", Topic.CommandOf("+")),
        new("publishClientSend", string.Format(System.Globalization.CultureInfo.InvariantCulture, OwnTracksCommands, "+")),
    ];

    /// <summary>A device publishes its own uplinks only (the uplink filters with its id in place of the first <c>+</c>) and reads its own downlinks.</summary>
    public static IReadOnlyList<DynamicSecurityAcl> DeviceAcls(string deviceId)
    {
        var ownTracks = string.Format(System.Globalization.CultureInfo.InvariantCulture, OwnTracksCommands, deviceId);
        return
        [
            .. ExternalMqttSubscriber.UplinkFilters.Select(f => new DynamicSecurityAcl("publishClientSend", OwnUplink(f, deviceId))),
            new("subscribeLiteral", Topic.CommandOf(deviceId)),
            new("publishClientReceive", Topic.CommandOf(deviceId)),
            new("subscribePattern", ownTracks),
            new("publishClientReceive", ownTracks),
        ];
    }

    public static JsonObject GetRole(string role) => new() { ["command"] = "getRole", ["rolename"] = role };

    public static JsonObject CreateRole(string role, IEnumerable<DynamicSecurityAcl> acls) =>
        new() { ["command"] = "createRole", ["rolename"] = role, ["acls"] = Acls(acls) };

    /// <summary>Replaces a role's rights; the broker then closes the sessions of every login holding it.</summary>
    public static JsonObject ModifyRole(string role, IEnumerable<DynamicSecurityAcl> acls) =>
        new() { ["command"] = "modifyRole", ["rolename"] = role, ["acls"] = Acls(acls) };

    public static JsonObject DeleteRole(string role) => new() { ["command"] = "deleteRole", ["rolename"] = role };

    public static JsonObject GetClient(string username) => new() { ["command"] = "getClient", ["username"] = username };

    public static JsonObject CreateClient(string username, string password, string role) => new()
    {
        ["command"] = "createClient",
        ["username"] = username,
        ["password"] = password,
        ["textname"] = "CmacLive device",
        ["roles"] = new JsonArray(new JsonObject { ["rolename"] = role }),
    };

    /// <summary>A new password; the broker closes the login's sessions.</summary>
    public static JsonObject SetClientPassword(string username, string password) =>
        new() { ["command"] = "setClientPassword", ["username"] = username, ["password"] = password };

    /// <summary>The broker then closes the login's sessions.</summary>
    public static JsonObject AddClientRole(string username, string role) =>
        new() { ["command"] = "addClientRole", ["username"] = username, ["rolename"] = role };

    /// <summary>The broker closes the login's sessions.</summary>
    public static JsonObject DeleteClient(string username) => new() { ["command"] = "deleteClient", ["username"] = username };

    /// <summary>True when a <c>getClient</c> answer's login holds the role.</summary>
    public static bool HasRole(JsonElement data, string role) =>
        data.TryGetProperty("client", out var client) && client.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array
        && roles.EnumerateArray().Any(r => r.TryGetProperty("rolename", out var name) && name.GetString() == role);

    private static JsonArray Acls(IEnumerable<DynamicSecurityAcl> acls) => [.. acls.Select(a => (JsonNode)a.ToJson())];

    private static string OwnUplink(string filter, string deviceId)
    {
        var wildcard = filter.IndexOf('+', StringComparison.Ordinal);
        return string.Concat(filter.AsSpan(0, wildcard), deviceId, filter.AsSpan(wildcard + 1));
    }
}
