namespace CmacLive.Situations;

/// <summary>Hazard areas by status, and the ground searched and released on the report day.</summary>
public sealed record SituationAreas
{
    public required IReadOnlyDictionary<string, int> ByStatus { get; init; }

    public required double SearchedTodayM2 { get; init; }

    public required double ReleasedTodayM2 { get; init; }
}
