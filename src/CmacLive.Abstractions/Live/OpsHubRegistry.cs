namespace CmacLive.Live;

/// <summary>How the feeds and hubs agree on timing.</summary>
public static class OpsHubRegistry
{
    /// <summary>
    /// The longest a feed keeps its list of hub observers before reading it again. A silo's hub counts
    /// as ready (and its dashboards miss nothing) once this long has passed after its first registration.
    /// </summary>
    public static readonly TimeSpan ObserverRefresh = TimeSpan.FromSeconds(1);
}
