namespace CmacLive;

/// <summary>Tracking settings, bound from the <c>Tracking</c> configuration section.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>An asset with no message for this long is offline.</summary>
    public TimeSpan OfflineTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Routine position changes are written to grain state at most this often (changes that matter are written at once).</summary>
    public TimeSpan StatePersistInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a silo looks for hazard areas changed on other silos.</summary>
    public TimeSpan HazardAreaRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the live feed coalesces updates before pushing one batch to the dashboards.</summary>
    public TimeSpan FeedBatchInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often an asset looks at its own liveness: a twelfth of the timeout, between 1 and 10 seconds.</summary>
    public TimeSpan LivenessCheckPeriod =>
        TimeSpan.FromTicks(Math.Clamp(OfflineTimeout.Ticks / 12, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));
}
