using System.Text.Json.Serialization;

namespace CmacLive.Detections;

/// <summary>Where a detection stands: not yet looked at, confirmed as a find, or clutter (scrap metal, a false indication).</summary>
public enum DetectionStatus
{
    [JsonStringEnumMemberName("open")] Open = 0,
    [JsonStringEnumMemberName("find")] Find = 1,
    [JsonStringEnumMemberName("clutter")] Clutter = 2,
}
