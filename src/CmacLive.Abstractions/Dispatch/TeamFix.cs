using CmacLive.Assets;

namespace CmacLive.Dispatch;

/// <summary>A team's position and working state, as its dispatch needs it.</summary>
[GenerateSerializer, Immutable, Alias("cmac.TeamFix")]
public sealed record TeamFix
{
    [Id(0)] public required DateTimeOffset Ts { get; init; }
    [Id(1)] public required double Lat { get; init; }
    [Id(2)] public required double Lon { get; init; }
    [Id(3)] public AssetState State { get; init; }
}
