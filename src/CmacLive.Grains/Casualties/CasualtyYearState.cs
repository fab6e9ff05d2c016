namespace CmacLive.Casualties;

[GenerateSerializer, Alias("cmac.CasualtyYearState")]
public sealed class CasualtyYearState
{
    [Id(0)] public Dictionary<string, CasualtyRecord> Records { get; set; } = new(StringComparer.Ordinal);
}
