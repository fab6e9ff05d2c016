namespace CmacLive.Dispatch;

/// <summary>A team to free from a request, and the downlink that tells its devices (null: none).</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchRelease")]
public sealed record DispatchRelease
{
    [Id(0)] public required string TeamId { get; init; }
    [Id(1)] public string? Command { get; init; }
}
