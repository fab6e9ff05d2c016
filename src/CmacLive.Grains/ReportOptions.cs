namespace CmacLive;

/// <summary>Report settings, bound from the <c>Reports</c> configuration section.</summary>
public sealed class ReportOptions
{
    public const string Section = "Reports";

    /// <summary>The offset of the local time that days are counted in (Cambodia: +07:00, no daylight saving).</summary>
    public TimeSpan UtcOffset { get; set; } = TimeSpan.FromHours(7);

    /// <summary>A working asset that falls silent is credited with at most this much working time for the silence.</summary>
    public TimeSpan MaxSilentWork { get; set; } = TimeSpan.FromMinutes(10);
}
