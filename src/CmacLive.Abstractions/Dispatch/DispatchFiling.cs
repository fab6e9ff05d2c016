namespace CmacLive.Dispatch;

/// <summary>What filing a request did: the request as it stands, and whether this call created it (or found it filed already).</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchFiling")]
public sealed record DispatchFiling
{
    [Id(0)] public required DispatchRequestView Request { get; init; }
    [Id(1)] public required bool Created { get; init; }
}
