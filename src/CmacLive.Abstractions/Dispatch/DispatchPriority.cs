using System.Text.Json.Serialization;

namespace CmacLive.Dispatch;

/// <summary>How fast a team must be on site.</summary>
public enum DispatchPriority
{
    [JsonStringEnumMemberName("emergency")] Emergency = 0,
    [JsonStringEnumMemberName("high")] High = 1,
    [JsonStringEnumMemberName("routine")] Routine = 2,
}
