namespace CmacLive.HazardAreas;

[GenerateSerializer, Alias("cmac.HazardAreaDirectoryState")]
public sealed class HazardAreaDirectoryState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public Dictionary<string, long> Codes { get; set; } = [];
}
