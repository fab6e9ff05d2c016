namespace CmacLive.HazardAreas;

/// <summary>An area's outline (WKB, WGS84) with its view.</summary>
[GenerateSerializer, Immutable, Alias("cmac.HazardAreaOutline")]
public sealed record HazardAreaOutline
{
    [Id(0)] public required byte[] GeometryWkb { get; init; }
    [Id(1)] public required HazardAreaView View { get; init; }
}
