namespace CmacLive.Reports;

/// <summary>
/// One unit's daily figures for one year (key <c>{unit}/{year}</c>), or one hazard area's own (key
/// <c>~area:{code}/{year}</c>, what its project's progress sums): what each source (area, find, asset) did each
/// day, set by the sources as work happens; bounded by the days of a year.
/// </summary>
public interface IUnitFiguresGrain : IGrainWithStringKey
{
    /// <summary>
    /// Sets what <paramref name="source"/> (an area's search, an area's release, a find, an asset's working time) did on
    /// <paramref name="day"/>, in full, replacing what it said before: saying it again never counts twice, so a source
    /// recovering from a crash simply says it again.
    /// </summary>
    Task Set(DateOnly day, string source, DayFigures figures);

    /// <summary>The figures of each day in <c>[from, to]</c> that has any, by day.</summary>
    Task<IReadOnlyDictionary<DateOnly, DayFigures>> Get(DateOnly from, DateOnly to);
}
