namespace CmacLive.Clearance;

/// <summary>Where an asset's searched path last ended, in metres of the area's UTM zone.</summary>
[GenerateSerializer, Immutable, Alias("cmac.TrailEnd")]
public sealed record TrailEnd
{
    [Id(0)] public required int Run { get; init; }
    [Id(1)] public required DateTimeOffset Ts { get; init; }
    [Id(2)] public required double X { get; init; }
    [Id(3)] public required double Y { get; init; }

    /// <summary>
    /// When the working period of this end was over (device time), or null while it goes on: a point of the same period
    /// that arrives after its end was heard (a fix overtaken by the status that ended the period) is still joined.
    /// </summary>
    [Id(4)] public DateTimeOffset? ClosedAt { get; init; }
}
