using System.Text.Json;
using System.Text.Json.Nodes;

namespace CmacLive.Ingestion;

/// <summary>One topic right of a dynamic-security role: <c>acltype</c> as the plugin names them (publishClientSend, subscribeLiteral, …).</summary>
public sealed record DynamicSecurityAcl(string Type, string Topic, bool Allow = true)
{
    public JsonObject ToJson() => new() { ["acltype"] = Type, ["topic"] = Topic, ["allow"] = Allow };

    /// <summary>The rights a role holds, as <c>getRole</c> answers them.</summary>
    public static HashSet<DynamicSecurityAcl> Of(JsonElement role) =>
        role.TryGetProperty("acls", out var acls) && acls.ValueKind == JsonValueKind.Array
            ? [.. acls.EnumerateArray().Select(a => new DynamicSecurityAcl(
                a.GetProperty("acltype").GetString() ?? "", a.GetProperty("topic").GetString() ?? "", a.GetProperty("allow").GetBoolean()))]
            : [];
}
