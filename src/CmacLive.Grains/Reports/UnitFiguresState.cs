namespace CmacLive.Reports;

[GenerateSerializer, Alias("cmac.UnitFiguresState")]
public sealed class UnitFiguresState
{
    /// <summary>Days whose sources were folded into one total (older than <see cref="UnitFiguresGrain.SourcesKeptDays"/>).</summary>
    [Id(0)] public Dictionary<DateOnly, DayFigures> Days { get; set; } = [];

    /// <summary>Recent days: what each source said it did, in full (the day's figures are their sum).</summary>
    [Id(1)] public Dictionary<DateOnly, Dictionary<string, DayFigures>> Sources { get; set; } = [];
}
