namespace CmacLive.Assets;

[GenerateSerializer, Alias("cmac.UnitRosterState")]
public sealed class AssetRosterState
{
    [Id(0)] public Dictionary<string, AssetKind> Assets { get; set; } = [];
}
