using System.Text.Json.Serialization;

namespace CmacLive.HazardAreas;

/// <summary>SHA: suspected hazardous area; CHA: confirmed hazardous area.</summary>
public enum HazardAreaType
{
    [JsonStringEnumMemberName("SHA")] Sha = 0,
    [JsonStringEnumMemberName("CHA")] Cha = 1,
}

/// <summary>Where an area stands in IMAS land release.</summary>
public enum HazardAreaStatus
{
    [JsonStringEnumMemberName("suspected")] Suspected = 0,
    [JsonStringEnumMemberName("confirmed")] Confirmed = 1,
    [JsonStringEnumMemberName("in-clearance")] InClearance = 2,
    [JsonStringEnumMemberName("released")] Released = 3,
}
