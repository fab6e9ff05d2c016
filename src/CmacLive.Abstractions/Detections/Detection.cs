using System.Text.Json.Serialization;
using CmacLive.Assets;

namespace CmacLive.Detections;

/// <summary>What a confirmed explosive item is.</summary>
public enum FindCategory
{
    [JsonStringEnumMemberName("ap-mine")] ApMine = 0,
    [JsonStringEnumMemberName("av-mine")] AvMine = 1,
    [JsonStringEnumMemberName("uxo")] Uxo = 2,
    [JsonStringEnumMemberName("submunition")] Submunition = 3,
    [JsonStringEnumMemberName("aerial-bomb")] AerialBomb = 4,
    [JsonStringEnumMemberName("other")] Other = 5,
}

/// <summary>How a find was disposed of.</summary>
public enum Disposal
{
    [JsonStringEnumMemberName("destroyed-in-situ")] DestroyedInSitu = 0,
    [JsonStringEnumMemberName("removed")] Removed = 1,
}

/// <summary>Where a detection stands: not yet looked at, confirmed as a find, or clutter (scrap metal, a false indication).</summary>
public enum DetectionStatus
{
    [JsonStringEnumMemberName("open")] Open = 0,
    [JsonStringEnumMemberName("find")] Find = 1,
    [JsonStringEnumMemberName("clutter")] Clutter = 2,
}

/// <summary>A confirmed item: category, model if known (e.g. BLU-24/B), depth and disposal.</summary>
[GenerateSerializer, Immutable, Alias("cmac.FindDetails")]
public sealed record FindDetails
{
    [Id(0)] public required FindCategory Category { get; init; }
    [Id(1)] public string? Model { get; init; }
    [Id(2)] public required double DepthCm { get; init; }
    [Id(3)] public required Disposal Disposal { get; init; }
}

/// <summary>A detection as REST answers it: a possible item at a point, and what it turned out to be.</summary>
[GenerateSerializer, Immutable, Alias("cmac.Detection")]
public sealed record Detection
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string AssetId { get; init; }
    [Id(2)] public required string DeviceId { get; init; }
    [Id(3)] public required string Unit { get; init; }
    [Id(4)] public string? HazardArea { get; init; }
    [Id(5)] public string? Project { get; init; }
    [Id(6)] public required DateTimeOffset Ts { get; init; }
    [Id(7)] public required double Lat { get; init; }
    [Id(8)] public required double Lon { get; init; }
    [Id(9)] public required DetectionSensor Sensor { get; init; }
    [Id(10)] public double? Strength { get; init; }
    [Id(11)] public double? DepthCm { get; init; }
    [Id(12)] public DetectionStatus Status { get; init; }
    [Id(13)] public FindDetails? Find { get; init; }
    [Id(14)] public string? DecidedBy { get; init; }
    [Id(15)] public DateTimeOffset? DecidedAt { get; init; }
    [Id(16)] public string? Note { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(17)] public string? OnBehalfOf { get; init; }
}

/// <summary>A decision on a detection: a find (with its details) or clutter.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DetectionDecision")]
public sealed record DetectionDecision
{
    /// <summary>The find, or null for clutter.</summary>
    [Id(0)] public FindDetails? Find { get; init; }
    [Id(1)] public required string By { get; init; }
    [Id(2)] public required DateTimeOffset At { get; init; }
    [Id(3)] public string? Note { get; init; }

    /// <summary>The asset deciding from the field, and its task area: it may decide only what is its to decide. Null for a person over REST.</summary>
    [Id(5)] public string? FieldAssetId { get; init; }
    [Id(6)] public string? FieldTaskArea { get; init; }
    /// <summary>The person the signed-in user acted for (a request body's <c>by</c>), kept beside the user, never instead.</summary>
    [Id(4)] public string? OnBehalfOf { get; init; }
}

/// <summary>A device tried to decide a detection that is neither its asset's nor in its asset's task area.</summary>
[GenerateSerializer, Alias("cmac.DetectionForbiddenException")]
public sealed class DetectionForbiddenException : Exception
{
    public DetectionForbiddenException()
    {
    }

    public DetectionForbiddenException(string message)
        : base(message)
    {
    }

    public DetectionForbiddenException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The decision contradicts an earlier one (a find cannot become clutter or another find).</summary>
[GenerateSerializer, Alias("cmac.DetectionConflictException")]
public sealed class DetectionConflictException : Exception
{
    public DetectionConflictException()
    {
    }

    public DetectionConflictException(string message)
        : base(message)
    {
    }

    public DetectionConflictException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>Detection ids: the reporting device and the device time of its report, so a repeated report is one detection.</summary>
public static class DetectionIds
{
    public static string For(string deviceId, DateTimeOffset ts) => $"{deviceId}-{ts.ToUnixTimeMilliseconds()}";
}

/// <summary>An area's detections in figures: finds (all and by category, wire names), open detections, clutter.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DetectionTally")]
public sealed record DetectionTally
{
    [Id(0)] public int Finds { get; init; }
    [Id(1)] public IReadOnlyDictionary<string, int> FindsByCategory { get; init; } = new Dictionary<string, int>();
    [Id(2)] public int Open { get; init; }
    [Id(3)] public int Clutter { get; init; }

    public static DetectionTally Of(IEnumerable<Detection> detections, int clutter)
    {
        var list = detections.ToList();
        var finds = list.Where(d => d.Status == DetectionStatus.Find && d.Find is not null).ToList();
        return new DetectionTally
        {
            Finds = finds.Count,
            FindsByCategory = finds.GroupBy(d => WireNames.Of(d.Find!.Category)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Open = list.Count(d => d.Status == DetectionStatus.Open),
            Clutter = clutter,
        };
    }
}

