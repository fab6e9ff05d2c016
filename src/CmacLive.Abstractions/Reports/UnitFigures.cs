namespace CmacLive.Reports;

/// <summary>Keys of the figures grains (a unit's, an area's), and the day a moment falls on in the reports' time zone.</summary>
public static class UnitFigures
{
    public static string Key(string unit, int year) => $"{unit}/{year}";

    public static IUnitFiguresGrain Of(IGrainFactory grains, string unit, DateOnly day) =>
        grains.GetGrain<IUnitFiguresGrain>(Key(unit, day.Year));

    /// <summary>
    /// The key of an area's own figures (the same grain type as a unit's): what was searched, released and found in the
    /// area, whichever unit did it. A project's progress sums the figures of the areas that name it, so ground counts for
    /// one project only, and for another once the area names another.
    /// </summary>
    public static string AreaKey(string area, int year) => $"~area:{area}/{year}";

    public static IUnitFiguresGrain OfArea(IGrainFactory grains, string area, DateOnly day) =>
        grains.GetGrain<IUnitFiguresGrain>(AreaKey(area, day.Year));

    /// <summary>The source an area's searched ground is credited under.</summary>
    public static string Searched(string area) => $"searched:{area}";

    /// <summary>The source an area's release (its outcome) is credited under.</summary>
    public static string Released(string area) => $"released:{area}";

    /// <summary>The source a confirmed find is credited under.</summary>
    public static string Find(string detectionId) => $"find:{detectionId}";

    /// <summary>The source an asset's working time is credited under.</summary>
    public static string Work(string assetId) => $"work:{assetId}";
}
