using CmacLive.Reports;

namespace CmacLive.Domain.Tests;

public sealed class ReportDaysTests
{
    private static readonly ReportDays Cambodia = new(TimeSpan.FromHours(7));

    [Fact]
    public void A_day_is_counted_in_cambodian_time()
    {
        Assert.Equal(new DateOnly(2026, 5, 12), Cambodia.DayOf(new DateTimeOffset(2026, 5, 11, 17, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 5, 11), Cambodia.DayOf(new DateTimeOffset(2026, 5, 11, 16, 59, 59, TimeSpan.Zero)));
    }

    [Fact]
    public void Work_across_local_midnight_is_split_between_the_two_days()
    {
        var pieces = Cambodia.Split(new DateTimeOffset(2026, 5, 11, 16, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 11, 18, 0, 0, TimeSpan.Zero)).ToList();

        Assert.Equal([(new DateOnly(2026, 5, 11), TimeSpan.FromMinutes(30)), (new DateOnly(2026, 5, 12), TimeSpan.FromMinutes(60))], pieces);
        Assert.Empty(Cambodia.Split(new DateTimeOffset(2026, 5, 11, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 5, 11, 1, 0, 0, TimeSpan.Zero)));
    }
}
