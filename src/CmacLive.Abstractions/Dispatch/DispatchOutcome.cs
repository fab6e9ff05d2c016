namespace CmacLive.Dispatch;

/// <summary>How a request ended on site.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchOutcome")]
public sealed record DispatchOutcome
{
    [Id(0)] public required DispatchResult Result { get; init; }

    /// <summary>Explosive items found; 0 with <see cref="DispatchResult.NothingFound"/>.</summary>
    [Id(1)] public required int Items { get; init; }

    [Id(2)] public string? Note { get; init; }
}
