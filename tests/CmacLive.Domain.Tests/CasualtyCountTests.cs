using CmacLive.Casualties;

namespace CmacLive.Domain.Tests;

public sealed class CasualtyCountTests
{
    private static CasualtyRecord Record(string id, string date, string province, params VictimOutcome[] outcomes) => new()
    {
        Id = id,
        Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
        Lat = 12.7,
        Lon = 102.8,
        Province = province,
        Device = CasualtyDevice.Mine,
        Victims = [.. outcomes.Select(o => new Victim { Sex = VictimSex.Male, AgeGroup = VictimAgeGroup.Adult, Outcome = o })],
    };

    [Fact]
    public void Accidents_and_victims_are_summed_per_month_and_province_named_as_first_recorded()
    {
        var figures = CasualtyCount.ByMonthAndProvince(
        [
            Record("c", "2025-03-01", "PAILIN", VictimOutcome.Injured),
            Record("a", "2025-01-31", "Pailin", VictimOutcome.Killed, VictimOutcome.Injured),
            Record("b", "2025-01-01", "Battambang", VictimOutcome.Killed),
            Record("d", "2025-01-15", "pailin", VictimOutcome.Killed, VictimOutcome.Killed, VictimOutcome.Injured),
        ]);

        Assert.Equal(
        [
            new CasualtyFigures("2025-01", "Battambang", 1, 1, 1, 0),
            new CasualtyFigures("2025-01", "pailin", 2, 5, 3, 2),
            new CasualtyFigures("2025-03", "pailin", 1, 1, 0, 1),
        ], figures);
        Assert.Empty(CasualtyCount.ByMonthAndProvince([]));
    }
}
