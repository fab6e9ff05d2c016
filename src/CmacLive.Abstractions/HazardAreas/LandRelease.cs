namespace CmacLive.HazardAreas;

/// <summary>
/// The IMAS land-release outcome of an area, in square metres: cancelled by non-technical survey,
/// reduced by technical survey, cleared.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.LandReleaseOutcome")]
public sealed record LandReleaseOutcome
{
    [Id(0)] public double CancelledM2 { get; init; }
    [Id(1)] public double ReducedM2 { get; init; }
    [Id(2)] public double ClearedM2 { get; init; }

    public double ReleasedM2 => CancelledM2 + ReducedM2 + ClearedM2;
}

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

/// <summary>The step asked for is not allowed now (a released area, a skipped step, an outcome that does not fit).</summary>
[GenerateSerializer, Alias("cmac.HazardAreaConflictException")]
public sealed class HazardAreaConflictException : Exception
{
    public HazardAreaConflictException()
    {
    }

    public HazardAreaConflictException(string message)
        : base(message)
    {
    }

    public HazardAreaConflictException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
