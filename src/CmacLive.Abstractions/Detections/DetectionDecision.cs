namespace CmacLive.Detections;

/// <summary>A decision on a detection: a find (with its details) or clutter.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DetectionDecision")]
public sealed record DetectionDecision
{
    /// <summary>The find, or null for clutter.</summary>
    [Id(0)] public FindDetails? Find { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public required DateTimeOffset At { get; init; }
    [Id(3)] public string? Note { get; init; }

    /// <summary>The asset deciding from the field, and its task area: it may decide only what is its to decide. Null for a person over REST.</summary>
    [Id(5)] public string? FieldAssetId { get; init; }
    [Id(6)] public string? FieldTaskArea { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(4)] public string? OnBehalfOf { get; init; }
}
