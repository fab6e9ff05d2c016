namespace CmacLive.Alerts;

/// <summary>The ledger's answer to <see cref="IAlertLedgerGrain.Since"/>.</summary>
[GenerateSerializer, Immutable, Alias("cmac.AlertChanges")]
public sealed record AlertChanges
{
    public const int MostReturned = 500;

    /// <summary>Alerts whose latest change came after the sequence number asked for, by <see cref="Alert.Seq"/>.</summary>
    [Id(0)] public IReadOnlyList<Alert> Alerts { get; init; } = [];

    /// <summary>The sequence number the answer brings a hub up to: the ledger's latest, or the last returned when more remain.</summary>
    [Id(1)] public long Head { get; init; }
}
