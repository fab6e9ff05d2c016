using System.Text.Json.Serialization;

namespace CmacLive.HazardAreas;

/// <summary>SHA: suspected hazardous area; CHA: confirmed hazardous area.</summary>
public enum HazardAreaType
{
    [JsonStringEnumMemberName("SHA")] Sha = 0,
    [JsonStringEnumMemberName("CHA")] Cha = 1,
}
