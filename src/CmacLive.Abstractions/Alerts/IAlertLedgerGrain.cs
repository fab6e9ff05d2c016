namespace CmacLive.Alerts;

/// <summary>
/// The cluster's safety alerts: every open one and the most recent closed ones, with their audit
/// trails. Rules raise and clear alerts here (idempotent by alert id); users acknowledge them.
/// One per cluster (key 0); only alert events reach it, never fixes.
/// </summary>
public interface IAlertLedgerGrain : IGrainWithIntegerKey
{
    /// <summary>Raises or clears alerts in order. Raising a known id or clearing a cleared one changes nothing.</summary>
    Task Apply(IReadOnlyList<AlertSignal> signals);

    /// <summary>Acknowledges an alert; null when the id is unknown. Acknowledging twice keeps the first.</summary>
    Task<Alert?> Acknowledge(string id, string by, string? note, string? onBehalfOf = null);

    Task<Alert?> Get(string id);

    /// <summary>Open alerts (or, with <paramref name="openOnly"/> false, the recent closed ones too), newest first.</summary>
    Task<IReadOnlyList<Alert>> List(bool openOnly);

    /// <summary>How many alerts are open, by severity (every severity, zero included): what a metrics scrape reads, cheaply.</summary>
    Task<IReadOnlyDictionary<AlertSeverity, int>> CountOpen();

    /// <summary>
    /// The alerts changed after sequence number <paramref name="seq"/>, as they now stand, oldest change first (at most
    /// <see cref="AlertChanges.MostReturned"/>), and the ledger's latest sequence number: what a hub that was out of the
    /// feeds missed.
    /// </summary>
    Task<AlertChanges> Since(long seq);
}
