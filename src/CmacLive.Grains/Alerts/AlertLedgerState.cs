namespace CmacLive.Alerts;

[GenerateSerializer, Alias("cmac.AlertLedgerState")]
public sealed class AlertLedgerState
{
    [Id(0)] public Dictionary<string, Alert> Open { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The most recent closed alerts, oldest first, at most <c>Alerts:ClosedKept</c> (every closed alert is in history).</summary>
    [Id(1)] public List<Alert> Closed { get; set; } = [];

    /// <summary>The sequence number of the latest change (raised, cleared, acknowledged); each change takes the next.</summary>
    [Id(2)] public long Seq { get; set; }

    /// <summary>Closed alerts not yet written to history (it was down), oldest first: written with the next change.</summary>
    [Id(3)] public List<Alert> Unarchived { get; set; } = [];
}
