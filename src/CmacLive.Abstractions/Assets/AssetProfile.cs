namespace CmacLive.Assets;

/// <summary>What an operator says about an asset: its kind, name, unit and capabilities.</summary>
[GenerateSerializer, Immutable, Alias("cmac.AssetProfile")]
public sealed record AssetProfile
{
    [Id(0)] public required AssetKind Kind { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Unit { get; init; }
    [Id(3)] public IReadOnlyList<string> Capabilities { get; init; } = [];
}
