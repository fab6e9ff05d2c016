namespace CmacLive.Dispatch;

/// <summary>Time to assign, acknowledge, be on site and resolve, per unit and priority, over a set of requests.</summary>
public static class DispatchFigures
{
    /// <summary>The unit of requests that have none yet (not assigned, no unit given).</summary>
    public const string NoUnit = "-";

    /// <summary>One row per unit and priority present, then one per priority over all units (unit <c>all</c>).</summary>
    public static IReadOnlyList<DispatchFigureRow> Compute(IEnumerable<DispatchSummary> requests)
    {
        var list = requests.ToList();
        var rows = list.GroupBy(r => (Unit: r.Unit ?? NoUnit, r.Priority))
            .OrderBy(g => g.Key.Unit, StringComparer.Ordinal).ThenBy(g => g.Key.Priority)
            .Select(g => Row(g.Key.Unit, g.Key.Priority, g.ToList()))
            .ToList();
        rows.AddRange(list.GroupBy(r => r.Priority).OrderBy(g => g.Key).Select(g => Row("all", g.Key, g.ToList())));
        return rows;
    }

    private static DispatchFigureRow Row(string unit, DispatchPriority priority, List<DispatchSummary> group) => new()
    {
        Unit = unit,
        Priority = priority,
        Requests = group.Count,
        Open = group.Count(r => r.IsOpen),
        Resolved = group.Count(r => r.Status == DispatchStatus.Resolved),
        Cancelled = group.Count(r => r.Status == DispatchStatus.Cancelled),
        ToAssign = Duration.Of(group.Where(r => r.AssignedAt is not null).Select(r => r.AssignedAt!.Value - r.ReceivedAt)),
        ToAcknowledge = Duration.Of(group.Where(r => r.AcknowledgedAt is not null).Select(r => r.AcknowledgedAt!.Value - r.ReceivedAt)),
        ToOnSite = Duration.Of(group.Where(r => r.OnSiteAt is not null).Select(r => r.OnSiteAt!.Value - r.ReceivedAt)),
        ToResolve = Duration.Of(group.Where(r => r.Status == DispatchStatus.Resolved).Select(r => r.ClosedAt!.Value - r.ReceivedAt)),
    };
}
