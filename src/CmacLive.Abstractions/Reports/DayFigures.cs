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
