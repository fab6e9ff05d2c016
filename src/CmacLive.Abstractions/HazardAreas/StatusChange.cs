namespace CmacLive.HazardAreas;

/// <summary>A request to move an area one step along land release.</summary>
[GenerateSerializer, Immutable, Alias("cmac.StatusChange")]
public sealed record StatusChange
{
    [Id(0)] public required HazardAreaStatus To { get; init; }
    [Id(1)] public LandReleaseOutcome? Outcome { get; init; }
    [Id(2)] public required string By { get; init; }
    [Id(3)] public string? Note { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(4)] public string? OnBehalfOf { get; init; }
}
