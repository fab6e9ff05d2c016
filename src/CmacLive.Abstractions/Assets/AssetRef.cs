namespace CmacLive.Assets;

/// <summary>Enough to reach an asset's grain: its id and kind.</summary>
[GenerateSerializer, Immutable, Alias("cmac.AssetRef")]
public sealed record AssetRef
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required AssetKind Kind { get; init; }
}
