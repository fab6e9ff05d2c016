namespace CmacLive.HazardAreas;

/// <summary>One audited step of an area's life: from which status to which, when, by whom.</summary>
[GenerateSerializer, Immutable, Alias("cmac.StatusTransition")]
public sealed record StatusTransition
{
    [Id(0)] public HazardAreaStatus? From { get; init; }
    [Id(1)] public required HazardAreaStatus To { get; init; }
    [Id(2)] public required DateTimeOffset At { get; init; }
    [Id(3)] public required string By { get; init; }
    [Id(4)] public string? Note { get; init; }
    [Id(5)] public LandReleaseOutcome? Outcome { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(6)] public string? OnBehalfOf { get; init; }
}
