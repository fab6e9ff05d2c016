namespace CmacLive.Reports;

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
