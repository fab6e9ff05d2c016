namespace CmacLive.Casualties;

[GenerateSerializer, Alias("cmac.CasualtyState")]
public sealed class CasualtyState
{
    [Id(0)] public CasualtyRecord? Record { get; set; }
}
