namespace CmacLive.Reports;

/// <summary>
/// Days as the field counts them: in the reports' local time (Cambodia is UTC+7 all year), so that a
/// morning's work is not split across two dates.
/// </summary>
public sealed class ReportDays(TimeSpan utcOffset)
{
    public TimeSpan UtcOffset { get; } = utcOffset;

    public DateOnly DayOf(DateTimeOffset moment) => DateOnly.FromDateTime(moment.ToOffset(UtcOffset).DateTime);

    /// <summary>The span <c>[from, to)</c> cut at local midnights, as (day, duration) pieces.</summary>
    public IEnumerable<(DateOnly Day, TimeSpan Duration)> Split(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from.ToOffset(UtcOffset);
        var end = to.ToOffset(UtcOffset);
        while (start < end)
        {
            var midnight = new DateTimeOffset(start.Date.AddDays(1), UtcOffset);
            var cut = midnight < end ? midnight : end;
            yield return (DateOnly.FromDateTime(start.DateTime), cut - start);
            start = cut;
        }
    }
}
