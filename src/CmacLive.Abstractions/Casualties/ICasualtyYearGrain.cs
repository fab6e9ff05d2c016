namespace CmacLive.Casualties;

/// <summary>
/// The accidents of one calendar year, keyed by the year: what lists and monthly figures read. Bounded: a year holds at
/// most <see cref="MaxRecords"/> records (Cambodia's worst year counted a few thousand).
/// </summary>
public interface ICasualtyYearGrain : IGrainWithIntegerKey
{
    public const int MaxRecords = 20_000;

    /// <summary>Adds or replaces the record; false when the year is full.</summary>
    Task<bool> Upsert(CasualtyRecord record);

    Task Remove(string id);

    Task<IReadOnlyList<CasualtyRecord>> List();
}
