namespace CmacLive.Alerts;

/// <summary>What an area's separation rule remembers: open pair episodes and undelivered signals. Bounded by the assets assigned.</summary>
[GenerateSerializer, Alias("cmac.SeparationState")]
public sealed class SeparationState
{
    /// <summary>Open proximity alerts by pair ("a|b", ordinal order).</summary>
    [Id(0)] public Dictionary<string, string> OpenPairs { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public List<AlertSignal> Outbox { get; set; } = [];
}
