namespace CmacLive.Detections;

[GenerateSerializer, Alias("cmac.DetectionIndexState")]
public sealed class DetectionIndexState
{
    /// <summary>Open detections and finds, in full.</summary>
    [Id(0)] public Dictionary<string, Detection> Items { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The most recent clutter, at most <see cref="DetectionIndexGrain.ClutterKept"/>.</summary>
    [Id(1)] public List<Detection> RecentClutter { get; set; } = [];

    [Id(2)] public int ClutterCount { get; set; }
}
