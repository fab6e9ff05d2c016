namespace CmacLive.Detections;

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
