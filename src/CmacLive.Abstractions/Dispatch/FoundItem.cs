using System.Text.Json.Serialization;

namespace CmacLive.Dispatch;

/// <summary>What the community found, as the reporter describes it.</summary>
public enum FoundItem
{
    [JsonStringEnumMemberName("mine")] Mine = 0,
    [JsonStringEnumMemberName("uxo")] Uxo = 1,
    [JsonStringEnumMemberName("cluster-munition")] ClusterMunition = 2,
    [JsonStringEnumMemberName("unknown")] Unknown = 3,
}
