namespace CmacLive.Assets;

/// <summary>One decoded and validated position report from a device.</summary>
[GenerateSerializer, Immutable, Alias("cmac.FixReport")]
public sealed record FixReport
{
    [Id(0)] public required string DeviceId { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required double Lat { get; init; }
    [Id(3)] public required double Lon { get; init; }
    [Id(4)] public double? Acc { get; init; }
    [Id(5)] public double? Alt { get; init; }
    [Id(6)] public double? Spd { get; init; }
    [Id(7)] public double? Hdg { get; init; }
    [Id(8)] public int? Bat { get; init; }
}
