namespace CmacLive.Dispatch;

/// <summary>One step of a request's life: from what status to what, when, by whom.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchStep")]
public sealed record DispatchStep
{
    [Id(0)] public required DispatchStatus? From { get; init; }
    [Id(1)] public required DispatchStatus To { get; init; }
    [Id(2)] public required DateTimeOffset At { get; init; }
    [Id(3)] public required string By { get; init; }
    [Id(4)] public string? Note { get; init; }
    [Id(5)] public string? TeamId { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(6)] public string? OnBehalfOf { get; init; }
}
