namespace CmacLive.Dispatch;

/// <summary>Response times of a group of requests, in minutes from reception.</summary>
public sealed record DispatchFigureRow
{
    public required string Unit { get; init; }
    public required DispatchPriority Priority { get; init; }
    public required int Requests { get; init; }
    public required int Open { get; init; }
    public required int Resolved { get; init; }
    public required int Cancelled { get; init; }
    public required Duration ToAssign { get; init; }
    public required Duration ToAcknowledge { get; init; }
    public required Duration ToOnSite { get; init; }
    public required Duration ToResolve { get; init; }
}

/// <summary>How long a step took over the requests that reached it: how many, median, 90th percentile, mean (minutes).</summary>
public sealed record Duration(int Count, double? MedianMinutes, double? P90Minutes, double? MeanMinutes)
{
    public static Duration Of(IEnumerable<TimeSpan> spans)
    {
        var minutes = spans.Select(s => s.TotalMinutes).Order().ToArray();
        if (minutes.Length == 0)
        {
            return new Duration(0, null, null, null);
        }

        return new Duration(minutes.Length, Round(Percentile(minutes, 0.5)), Round(Percentile(minutes, 0.9)), Round(minutes.Average()));
    }

    /// <summary>Linear interpolation between closest ranks, over sorted values.</summary>
    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    private static double Round(double value) => Math.Round(value, 1);
}

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
