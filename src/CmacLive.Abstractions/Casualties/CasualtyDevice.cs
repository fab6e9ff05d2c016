using System.Text.Json.Serialization;

namespace CmacLive.Casualties;

/// <summary>What caused an accident.</summary>
public enum CasualtyDevice
{
    Unknown = 0,
    Mine = 1,
    Uxo = 2,
    [JsonStringEnumMemberName("cluster-munition")] ClusterMunition = 3,
}
