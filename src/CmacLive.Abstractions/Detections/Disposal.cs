using System.Text.Json.Serialization;

namespace CmacLive.Detections;

/// <summary>How a find was disposed of.</summary>
public enum Disposal
{
    [JsonStringEnumMemberName("destroyed-in-situ")] DestroyedInSitu = 0,
    [JsonStringEnumMemberName("removed")] Removed = 1,
}
