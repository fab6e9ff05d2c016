namespace CmacLive.Reports;

/// <summary>
/// What one unit did on one day (or over a span of days, summed): ground searched and released, finds by
/// category (wire names), working hours by asset kind (wire names). Also used as the delta a source adds.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.DayFigures")]
public sealed record DayFigures
{
    [Id(0)] public double SearchedM2 { get; init; }
    [Id(1)] public double CancelledM2 { get; init; }
    [Id(2)] public double ReducedM2 { get; init; }
    [Id(3)] public double ClearedM2 { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, int> Finds { get; init; } = new Dictionary<string, int>();
    [Id(5)] public IReadOnlyDictionary<string, double> WorkingSeconds { get; init; } = new Dictionary<string, double>();

    public double ReleasedM2 => CancelledM2 + ReducedM2 + ClearedM2;

    public DayFigures Plus(DayFigures other) => new()
    {
        SearchedM2 = SearchedM2 + other.SearchedM2,
        CancelledM2 = CancelledM2 + other.CancelledM2,
        ReducedM2 = ReducedM2 + other.ReducedM2,
        ClearedM2 = ClearedM2 + other.ClearedM2,
        Finds = Merge(Finds, other.Finds, (a, b) => a + b),
        WorkingSeconds = Merge(WorkingSeconds, other.WorkingSeconds, (a, b) => a + b),
    };

    private static Dictionary<string, T> Merge<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b, Func<T, T, T> add)
    {
        var merged = new Dictionary<string, T>(a, StringComparer.Ordinal);
        foreach (var (key, value) in b)
        {
            merged[key] = merged.TryGetValue(key, out var known) ? add(known, value) : value;
        }

        return merged;
    }
}

/// <summary>
/// One unit's daily figures for one year (key <c>{unit}/{year}</c>): what each source (area, find, asset) did each
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

/// <summary>Keys of the figures grains, and the day a moment falls on in the reports' time zone.</summary>
public static class UnitFigures
{
    public static string Key(string unit, int year) => $"{unit}/{year}";

    public static IUnitFiguresGrain Of(IGrainFactory grains, string unit, DateOnly day) =>
        grains.GetGrain<IUnitFiguresGrain>(Key(unit, day.Year));

    /// <summary>The source an area's searched ground is credited under.</summary>
    public static string Searched(string area) => $"searched:{area}";

    /// <summary>The source an area's release (its outcome) is credited under.</summary>
    public static string Released(string area) => $"released:{area}";

    /// <summary>The source a confirmed find is credited under.</summary>
    public static string Find(string detectionId) => $"find:{detectionId}";

    /// <summary>The source an asset's working time is credited under.</summary>
    public static string Work(string assetId) => $"work:{assetId}";
}
