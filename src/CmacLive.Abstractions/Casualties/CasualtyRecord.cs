namespace CmacLive.Casualties;

/// <summary>
/// A mine or ERW accident and its victims, as a national centre records them (the CMVIS idea): where and when, what
/// caused it, what the people were doing, and who was hurt; linked to the dispatch request or hazard area concerned
/// when there is one. The village and the victims' occupations are personal: a viewer never sees them.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.CasualtyRecord")]
public sealed record CasualtyRecord
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required DateOnly Date { get; init; }
    [Id(2)] public required double Lat { get; init; }
    [Id(3)] public required double Lon { get; init; }
    [Id(4)] public required string Province { get; init; }
    [Id(5)] public string? District { get; init; }
    [Id(6)] public string? Village { get; init; }
    [Id(7)] public required CasualtyDevice Device { get; init; }
    [Id(8)] public string? Activity { get; init; }
    [Id(9)] public required IReadOnlyList<Victim> Victims { get; init; }
    [Id(10)] public string? RequestId { get; init; }
    [Id(11)] public string? HazardArea { get; init; }

    /// <summary>When the record was last written, and by whom.</summary>
    [Id(12)] public DateTimeOffset RecordedAt { get; init; }
    [Id(13)] public string? RecordedBy { get; init; }
}
