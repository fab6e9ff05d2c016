namespace CmacLive.Assets;

[GenerateSerializer, Alias("cmac.AssetRegistrationState")]
public sealed class AssetRegistrationState
{
    [Id(0)] public AssetKind? Kind { get; set; }
    [Id(1)] public string? Unit { get; set; }
    [Id(2)] public List<string> Capabilities { get; set; } = [];
}
