using System.Globalization;

namespace CmacLive.Casualties;

/// <summary>The monthly figures a national centre reports: accidents and victims by month and province.</summary>
public static class CasualtyCount
{
    /// <summary>
    /// Per month (of the accident's date) and province, oldest month first, provinces in alphabetical order; months with
    /// no accident are left out. Provinces are compared without regard to case, and each is named in every month as its
    /// earliest record spells it.
    /// </summary>
    public static IReadOnlyList<CasualtyFigures> ByMonthAndProvince(IEnumerable<CasualtyRecord> records)
    {
        var all = records.OrderBy(r => r.Date).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in all)
        {
            names.TryAdd(record.Province, record.Province);
        }

        return
        [
            .. all
                .GroupBy(r => (Month: r.Date.ToString("yyyy-MM", CultureInfo.InvariantCulture), Province: names[r.Province]))
                .Select(g => new CasualtyFigures(
                    g.Key.Month,
                    g.Key.Province,
                    g.Count(),
                    g.Sum(r => r.Victims.Count),
                    g.Sum(r => r.Victims.Count(v => v.Outcome == VictimOutcome.Killed)),
                    g.Sum(r => r.Victims.Count(v => v.Outcome == VictimOutcome.Injured))))
                .OrderBy(f => f.Month, StringComparer.Ordinal)
                .ThenBy(f => f.Province, StringComparer.OrdinalIgnoreCase),
        ];
    }
}
