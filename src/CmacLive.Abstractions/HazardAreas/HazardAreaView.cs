namespace CmacLive.HazardAreas;

/// <summary>A hazard area as REST answers it and the hub pushes it (contract v1, with additions documented in docs/contract.md).</summary>
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
    [Id(8)] public string? Name { get; init; }
    [Id(9)] public string? Province { get; init; }
    [Id(10)] public string? Unit { get; init; }
    [Id(11)] public string? Priority { get; init; }
    [Id(12)] public string? Project { get; init; }
    [Id(13)] public LandReleaseOutcome? Outcome { get; init; }
    [Id(14)] public IReadOnlyList<StatusTransition> Transitions { get; init; } = [];

    /// <summary>Finds by category (ap-mine, av-mine, uxo, submunition, aerial-bomb, other).</summary>
    [Id(15)] public IReadOnlyDictionary<string, int> FindsByCategory { get; init; } = new Dictionary<string, int>();

    /// <summary>Detections not yet confirmed as finds or marked clutter.</summary>
    [Id(16)] public int OpenDetections { get; init; }

    [Id(17)] public int Clutter { get; init; }
}
