using CmacLive.Assets;

namespace CmacLive;

/// <summary>Tracking settings, bound from the <c>Tracking</c> configuration section.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    /// <summary>An asset with no message for this long is offline (every kind without a timeout of its own).</summary>
    public TimeSpan OfflineTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A kind's own timeout, from <c>Tracking:OfflineTimeout:{Team,Machine,Dog,Rat}</c> (read beside
    /// <see cref="OfflineTimeout"/>, the value of the same key): a dog's handler may switch the tracker off between
    /// boxes for longer than a team's is ever quiet.
    /// </summary>
    public Dictionary<AssetKind, TimeSpan> OfflineTimeoutByKind { get; } = [];

    /// <summary>How long an asset of this kind may be silent before it is offline.</summary>
    public TimeSpan OfflineTimeoutOf(AssetKind kind) => OfflineTimeoutByKind.TryGetValue(kind, out var timeout) ? timeout : OfflineTimeout;

    /// <summary>Routine position changes are written to grain state at most this often (changes that matter are written at once).</summary>
    public TimeSpan StatePersistInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a silo looks for hazard areas changed on other silos.</summary>
    public TimeSpan HazardAreaRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the live feed coalesces updates before pushing one batch to the dashboards.</summary>
    public TimeSpan FeedBatchInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often an asset of this kind looks at its own liveness: a twelfth of its timeout, between 1 and 10 seconds.</summary>
    public TimeSpan LivenessCheckPeriodOf(AssetKind kind) =>
        TimeSpan.FromTicks(Math.Clamp(OfflineTimeoutOf(kind).Ticks / 12, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    /// <summary>
    /// Reads <c>Tracking:OfflineTimeout:{Kind}</c> into <see cref="OfflineTimeoutByKind"/>; a child that names no kind,
    /// or a value that is no positive time span, stops the silo at start with the key named.
    /// </summary>
    public void ReadKindTimeouts(Microsoft.Extensions.Configuration.IConfigurationSection section)
    {
        foreach (var child in section.GetSection(nameof(OfflineTimeout)).GetChildren())
        {
            if (!Enum.TryParse<AssetKind>(child.Key, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(child.Key, out _))
            {
                throw new InvalidOperationException($"{child.Path}: no such asset kind; use Team, Machine, Dog or Rat");
            }

            if (!TimeSpan.TryParse(child.Value, System.Globalization.CultureInfo.InvariantCulture, out var timeout) || timeout <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"{child.Path}: '{child.Value}' is not a positive time span such as 00:05:00");
            }

            OfflineTimeoutByKind[kind] = timeout;
        }
    }
}
