using System.Text.Json;

namespace CmacLive.Ingestion;

/// <summary>One answer of the dynamic-security plugin: its command, its error (null when done) and its data.</summary>
public sealed record DynamicSecurityReply(string Command, string? Error, JsonElement Data)
{
    public bool Succeeded => Error is null;
}
