namespace CmacLive.HazardAreas;

/// <summary>
/// The searched footprint of an area and its figures: the area's outline (WGS84 WKB) and its grid of
/// searched cells as stored, so the caller draws the polygon without holding up the area's grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.SearchedView")]
public sealed record SearchedView
{
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public required byte[] AreaWkb { get; init; }
    [Id(5)] public required byte[] Cells { get; init; }
    [Id(2)] public required double AreaM2 { get; init; }
    [Id(3)] public required double SearchedM2 { get; init; }
    [Id(4)] public required double Percent { get; init; }
}
