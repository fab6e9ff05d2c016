namespace CmacLive.Ingestion;

/// <summary>What to do with a CONNECT before its password is checked.</summary>
public readonly record struct ConnectGate(bool Check, TimeSpan? Backoff)
{
    /// <summary>Check the password; <see cref="DeviceGate.Checked"/> must follow, whatever the outcome.</summary>
    public static ConnectGate Checking => new(true, null);

    /// <summary>Another CONNECT of the device is being checked: this one waits its turn (refused as busy; the device tries again).</summary>
    public static ConnectGate Busy => new(false, null);

    public static ConnectGate Refused(TimeSpan backoff) => new(false, backoff);
}
