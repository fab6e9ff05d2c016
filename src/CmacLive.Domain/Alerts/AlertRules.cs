using CmacLive.Assets;

namespace CmacLive.Alerts;

/// <summary>The thresholds of the safety rules.</summary>
public sealed record AlertRules
{
    /// <summary>How long an asset must stay inside an area it is not assigned to before it counts (GPS jitter at an edge does not).</summary>
    public TimeSpan EntryDwell { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Silence after which an assigned, working asset is stale, per kind.</summary>
    public IReadOnlyDictionary<AssetKind, TimeSpan> StaleAfter { get; init; } = new Dictionary<AssetKind, TimeSpan>
    {
        [AssetKind.Team] = TimeSpan.FromMinutes(2),
        [AssetKind.Machine] = TimeSpan.FromMinutes(2),
        [AssetKind.Dog] = TimeSpan.FromMinutes(1),
        [AssetKind.Rat] = TimeSpan.FromMinutes(1),
    };

    /// <summary>Two assets working in the same area must stay at least this far apart (metres).</summary>
    public double MinSeparationM { get; init; } = 25;

    /// <summary>Positions further apart in time than this are not compared for separation.</summary>
    public TimeSpan SeparationMaxSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a dog or rat may work before it must rest.</summary>
    public TimeSpan AnimalWorkPeriod { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a rest must last before the work period starts again.</summary>
    public TimeSpan AnimalRestPeriod { get; init; } = TimeSpan.FromMinutes(30);

    public TimeSpan StaleAfterFor(AssetKind kind) =>
        StaleAfter.TryGetValue(kind, out var after) ? after : TimeSpan.FromMinutes(2);
}
