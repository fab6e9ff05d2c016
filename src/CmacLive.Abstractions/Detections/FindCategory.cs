using System.Text.Json.Serialization;

namespace CmacLive.Detections;

/// <summary>What a confirmed explosive item is.</summary>
public enum FindCategory
{
    [JsonStringEnumMemberName("ap-mine")] ApMine = 0,
    [JsonStringEnumMemberName("av-mine")] AvMine = 1,
    [JsonStringEnumMemberName("uxo")] Uxo = 2,
    [JsonStringEnumMemberName("submunition")] Submunition = 3,
    [JsonStringEnumMemberName("aerial-bomb")] AerialBomb = 4,
    [JsonStringEnumMemberName("other")] Other = 5,
}
