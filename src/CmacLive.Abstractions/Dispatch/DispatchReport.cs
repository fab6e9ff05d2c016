namespace CmacLive.Dispatch;

/// <summary>A community's emergency report as filed: where, what, who reported it and what is near.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchReport")]
public sealed record DispatchReport
{
    [Id(0)] public required double Lat { get; init; }
    [Id(1)] public required double Lon { get; init; }
    [Id(2)] public string? Village { get; init; }
    [Id(3)] public string? Commune { get; init; }
    [Id(4)] public string? District { get; init; }
    [Id(5)] public string? Province { get; init; }
    [Id(6)] public required FoundItem Found { get; init; }
    [Id(7)] public string? Description { get; init; }
    [Id(8)] public string? ReporterName { get; init; }
    [Id(9)] public string? ReporterPhone { get; init; }
    [Id(10)] public bool NearPeople { get; init; }
    [Id(11)] public bool NearSchool { get; init; }
    [Id(12)] public bool NearRoad { get; init; }
    [Id(13)] public string? PhotoRef { get; init; }

    /// <summary>The unit whose ground it is, when the dispatcher knows it; otherwise taken from the province.</summary>
    [Id(14)] public string? Unit { get; init; }

    /// <summary>A priority the dispatcher sets instead of the triage's.</summary>
    [Id(15)] public DispatchPriority? Priority { get; init; }
}
