namespace CmacLive.Alerts;

/// <summary>Hands a rule's undelivered signals to the cluster's ledger.</summary>
public static class AlertOutbox
{
    /// <summary>
    /// Sends every signal in <paramref name="outbox"/>; on success they leave it (answers true), on failure
    /// they stay, to be sent again (the ledger takes a signal twice without harm).
    /// </summary>
    public static async Task<bool> DeliverAsync(IGrainFactory grains, List<AlertSignal> outbox)
    {
        if (outbox.Count == 0)
        {
            return false;
        }

        var sending = outbox.ToList();
        await grains.GetGrain<IAlertLedgerGrain>(0).Apply(sending);
        outbox.RemoveRange(0, sending.Count);
        return true;
    }
}
