using CmacLive.Dispatch;

namespace CmacLive.Domain.Tests;

public sealed class DispatchFiguresTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    private static DispatchSummary Request(string id, string? unit, DispatchPriority priority, DispatchStatus status,
        double? assignMin = null, double? ackMin = null, double? onSiteMin = null, double? closedMin = null) => new()
    {
        Id = id,
        Status = status,
        Priority = priority,
        Unit = unit,
        ReceivedAt = T0,
        AssignedAt = assignMin is { } a ? T0.AddMinutes(a) : null,
        AcknowledgedAt = ackMin is { } k ? T0.AddMinutes(k) : null,
        OnSiteAt = onSiteMin is { } o ? T0.AddMinutes(o) : null,
        ClosedAt = closedMin is { } c ? T0.AddMinutes(c) : null,
        Found = FoundItem.Uxo,
        Lat = 13,
        Lon = 103,
    };

    [Fact]
    public void Times_are_counted_from_reception_per_unit_and_priority_and_over_all_units()
    {
        var rows = DispatchFigures.Compute(
        [
            Request("a", "DU5", DispatchPriority.Emergency, DispatchStatus.Resolved, 5, 8, 60, 120),
            Request("b", "DU5", DispatchPriority.Emergency, DispatchStatus.Resolved, 15, 20, 100, 200),
            Request("c", "DU5", DispatchPriority.Emergency, DispatchStatus.Cancelled, 10, null, null, 30),
            Request("d", "DU5", DispatchPriority.Emergency, DispatchStatus.Assigned, 25),
            Request("e", "DU3", DispatchPriority.Emergency, DispatchStatus.Triaged),
            Request("f", null, DispatchPriority.Routine, DispatchStatus.Triaged),
        ]);

        var du5 = rows.Single(r => r.Unit == "DU5");
        Assert.Equal((4, 1, 2, 1), (du5.Requests, du5.Open, du5.Resolved, du5.Cancelled));
        Assert.Equal(new Duration(4, 12.5, 22, 13.8), du5.ToAssign); // 5, 10, 15, 25
        Assert.Equal(new Duration(2, 14, 18.8, 14), du5.ToAcknowledge);
        Assert.Equal(new Duration(2, 80, 96, 80), du5.ToOnSite);
        Assert.Equal(new Duration(2, 160, 192, 160), du5.ToResolve); // cancelled ones are not resolved
        Assert.Equal("-", rows.Single(r => r.Priority == DispatchPriority.Routine && r.Unit != "all").Unit);
        var all = rows.Single(r => r.Unit == "all" && r.Priority == DispatchPriority.Emergency);
        Assert.Equal(5, all.Requests);
        Assert.Equal(2, all.ToOnSite.Count);
        Assert.Equal(new Duration(0, null, null, null), rows.Single(r => r.Unit == "DU3").ToAssign);
    }
}
