namespace CmacLive.Assets;

/// <summary>A device's report of its asset's working state.</summary>
[GenerateSerializer, Immutable, Alias("cmac.StatusReport")]
public sealed record StatusReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required AssetState State { get; init; }
    [Id(3)] public int? Bat { get; init; }
}
