using CmacLive.Assets;

namespace CmacLive.HazardAreas;

/// <summary>
/// A fix of an asset assigned to the area, sent while it works (and once when it stops working), so the
/// area can grow its searched footprint and keep working assets apart.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.WorkSample")]
public sealed record WorkSample
{
    [Id(0)] public required string AssetId { get; init; }
    [Id(1)] public required AssetKind Kind { get; init; }
    [Id(2)] public required int Run { get; init; }
    [Id(3)] public required DateTimeOffset Ts { get; init; }
    [Id(4)] public required double Lat { get; init; }
    [Id(5)] public required double Lon { get; init; }
    [Id(6)] public double? Acc { get; init; }
    [Id(7)] public required bool Working { get; init; }
}
