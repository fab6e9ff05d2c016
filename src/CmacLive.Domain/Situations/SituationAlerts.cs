namespace CmacLive.Situations;

/// <summary>Open alerts by severity, every severity named, zero included.</summary>
public sealed record SituationAlerts
{
    public required IReadOnlyDictionary<string, int> OpenBySeverity { get; init; }
}
