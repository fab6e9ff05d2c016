namespace CmacLive.HazardAreas;

/// <summary>A hazard area as REST answers it and the hub pushes it (contract v1).</summary>
[GenerateSerializer, Immutable, Alias("cmac.HazardAreaView")]
public sealed record HazardAreaView
{
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public required HazardAreaType Type { get; init; }
    [Id(2)] public required HazardAreaStatus Status { get; init; }
    [Id(3)] public required double AreaM2 { get; init; }
    [Id(4)] public double SearchedM2 { get; init; }
    [Id(5)] public double Percent { get; init; }
    [Id(6)] public IReadOnlyList<string> Assets { get; init; } = [];
    [Id(7)] public int Finds { get; init; }
}
