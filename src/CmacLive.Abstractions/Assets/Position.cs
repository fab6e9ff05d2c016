namespace CmacLive.Assets;

/// <summary>The live position of an asset: the newest fix applied to it (WGS84, device time).</summary>
[GenerateSerializer, Immutable, Alias("cmac.Position")]
public sealed record Position
{
    [Id(0)] public required double Lat { get; init; }
    [Id(1)] public required double Lon { get; init; }
    [Id(2)] public double? Acc { get; init; }
    [Id(3)] public double? Alt { get; init; }
    [Id(4)] public double? Spd { get; init; }
    [Id(5)] public double? Hdg { get; init; }
    [Id(6)] public required DateTimeOffset Ts { get; init; }
}
