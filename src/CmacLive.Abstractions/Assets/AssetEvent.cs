namespace CmacLive.Assets;

/// <summary>
/// An asset entered or left a hazard area (<see cref="Kind"/> <c>entered</c> or <c>left</c>), at the device time its
/// crossing began: the hub's <c>assetEvent</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.AssetEvent")]
public sealed record AssetEvent
{
    [Id(0)] public required string AssetId { get; init; }
    [Id(1)] public required DateTimeOffset At { get; init; }
    [Id(2)] public required string Kind { get; init; }
    [Id(3)] public required string HazardArea { get; init; }
    [Id(4)] public required string Unit { get; init; }
}
