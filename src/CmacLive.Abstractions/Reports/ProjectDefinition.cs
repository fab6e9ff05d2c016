namespace CmacLive.Reports;

/// <summary>A clearance project: its units, its donor, the square metres it must release and its dates (inclusive).</summary>
[GenerateSerializer, Immutable, Alias("cmac.ProjectDefinition")]
public sealed record ProjectDefinition
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required IReadOnlyList<string> Units { get; init; }
    [Id(3)] public required double TargetM2 { get; init; }
    [Id(4)] public required DateOnly Start { get; init; }
    [Id(5)] public required DateOnly End { get; init; }

    /// <summary>Who funds the project, as free text (optional).</summary>
    [Id(6)] public string? Donor { get; init; }
}
