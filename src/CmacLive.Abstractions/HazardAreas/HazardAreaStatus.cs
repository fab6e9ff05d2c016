using System.Text.Json.Serialization;

namespace CmacLive.HazardAreas;

/// <summary>Where an area stands in IMAS land release.</summary>
public enum HazardAreaStatus
{
    [JsonStringEnumMemberName("suspected")] Suspected = 0,
    [JsonStringEnumMemberName("confirmed")] Confirmed = 1,
    [JsonStringEnumMemberName("in-clearance")] InClearance = 2,
    [JsonStringEnumMemberName("released")] Released = 3,
}
