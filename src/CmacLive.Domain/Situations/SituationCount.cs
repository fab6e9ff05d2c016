using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using CmacLive.Reports;

namespace CmacLive.Situations;

/// <summary>The situation of a set of units from its parts: the tally's counts, the day's figures, the open alerts and requests.</summary>
public static class SituationCount
{
    /// <summary>
    /// The situation of <paramref name="units"/> (null: every unit, unit-less alerts and requests included): alerts and
    /// requests are those of these units; <paramref name="today"/> is the units' figures of <paramref name="day"/>, summed.
    /// </summary>
    public static SituationView Of(
        IReadOnlyList<string>? units, DateOnly day, UnitCounts counts, DayFigures today,
        IReadOnlyList<Alert> openAlerts, IReadOnlyList<DispatchSummary> openRequests)
    {
        var inUnits = units is null ? null : new HashSet<string>(units, StringComparer.Ordinal);
        bool Counted(string? unit) => inUnits is null || (unit is not null && inUnits.Contains(unit));

        // Open as everywhere else: until cleared and acknowledged. A cleared alert nobody acknowledged yet (a phone's SOS,
        // cleared when raised) still needs someone, so it counts.
        var alerts = openAlerts.Where(a => Counted(a.Unit)).ToList();
        var requests = openRequests.Where(r => r.IsOpen && Counted(r.Unit)).ToList();
        var overdue = alerts.Where(a => a.Kind == AlertKinds.DispatchOverdue && a.ClearedAt is null && a.RequestId is not null)
            .Select(a => a.RequestId!)
            .ToHashSet(StringComparer.Ordinal);
        return new SituationView
        {
            Units = units ?? [],
            Day = day,
            Assets = new SituationAssets
            {
                ByKind = Named<AssetKind>(k => counts.ByKind[(int)k]),
                ByState = Named<AssetState>(s => counts.ByState[(int)s]),
                Online = counts.Online,
                Offline = counts.Offline,
            },
            Areas = new SituationAreas
            {
                ByStatus = Named<HazardAreaStatus>(s => counts.AreasByStatus[(int)s]),
                SearchedTodayM2 = Math.Round(today.SearchedM2, 1),
                ReleasedTodayM2 = Math.Round(today.ReleasedM2, 1),
            },
            Finds = new SituationFinds
            {
                Today = today.Finds.Values.Sum(),
                ByCategory = new SortedDictionary<string, int>(today.Finds.Where(f => f.Value > 0).ToDictionary(), StringComparer.Ordinal),
            },
            Alerts = new SituationAlerts
            {
                OpenBySeverity = Named<AlertSeverity>(s => alerts.Count(a => a.Severity == s)),
            },
            Requests = new SituationRequests
            {
                OpenByPriority = Named<DispatchPriority>(p => requests.Count(r => r.Priority == p)),
                Overdue = requests.Count(r => r.Status < DispatchStatus.OnSite && overdue.Contains(r.Id)),
            },
        };
    }

    /// <summary>Every member of <typeparamref name="T"/> by its wire name, in declared order, with its count.</summary>
    private static Dictionary<string, int> Named<T>(Func<T, int> count)
        where T : struct, Enum =>
        WireNames.Choices<T>().ToDictionary(c => c.Key, c => count(c.Value), StringComparer.Ordinal);
}
