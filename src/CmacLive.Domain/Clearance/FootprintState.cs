namespace CmacLive.Clearance;

/// <summary>
/// The stored form of an area's searched footprint: its grid of searched cells (compressed), and each
/// asset's last joined point. Bounded by the area and the frontier of the work, not by the length of history.
/// </summary>
[GenerateSerializer, Alias("cmac.FootprintState")]
public sealed class FootprintState
{
    [Id(0)] public byte[]? Cells { get; set; }
    [Id(1)] public Dictionary<string, TrailEnd> Ends { get; set; } = new(StringComparer.Ordinal);
}
