namespace CmacLive.Situations;

/// <summary>Assets by kind (all of them), by reported state (online ones), online and offline. Every kind and state is named, zero included.</summary>
public sealed record SituationAssets
{
    public required IReadOnlyDictionary<string, int> ByKind { get; init; }

    public required IReadOnlyDictionary<string, int> ByState { get; init; }

    public required int Online { get; init; }

    public required int Offline { get; init; }
}
