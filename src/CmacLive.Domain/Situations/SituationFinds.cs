namespace CmacLive.Situations;

/// <summary>Finds confirmed on the report day, in all and by category (only the categories found).</summary>
public sealed record SituationFinds
{
    public required int Today { get; init; }

    public required IReadOnlyDictionary<string, int> ByCategory { get; init; }
}
