namespace CmacLive.HazardAreas;

/// <summary>
/// A hazard area as imported: its code, type, descriptive properties and its polygon
/// (WGS84, as OGC well-known binary, so no geometry library type crosses the wire).
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.HazardAreaDefinition")]
public sealed record HazardAreaDefinition
{
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public required HazardAreaType Type { get; init; }
    [Id(2)] public required byte[] GeometryWkb { get; init; }
    [Id(3)] public string? Name { get; init; }
    [Id(4)] public string? Province { get; init; }
    [Id(5)] public string? Unit { get; init; }
    [Id(6)] public string? Priority { get; init; }
    [Id(7)] public string? Project { get; init; }
    [Id(8)] public double AreaM2 { get; init; }
}
