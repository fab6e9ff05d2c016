using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using CmacLive.Reports;
using CmacLive.Situations;

namespace CmacLive.Domain.Tests;

public sealed class SituationTallyTests
{
    private static readonly DateOnly Day = new(2026, 5, 12);

    private static AssetStatus Asset(string id, string unit, AssetState state = AssetState.Unknown, bool online = true, AssetKind kind = AssetKind.Team) =>
        new() { Id = id, Kind = kind, Name = id, Unit = unit, State = state, Online = online };

    private static HazardAreaView Area(string code, HazardAreaStatus status, string? unit) =>
        new() { Code = code, Type = HazardAreaType.Cha, Status = status, AreaM2 = 100, Unit = unit };

    private static SituationView Of(SituationTally tally, IReadOnlyList<string>? units, DayFigures? today = null,
        IReadOnlyList<Alert>? alerts = null, IReadOnlyList<DispatchSummary>? requests = null) =>
        SituationCount.Of(units, Day, tally.Count(units), today ?? new DayFigures(), alerts ?? [], requests ?? []);

    [Fact]
    public void An_asset_moves_between_counts_as_its_state_liveness_and_unit_change_and_is_never_counted_twice()
    {
        var tally = new SituationTally();
        var touched = new HashSet<string>();
        Assert.True(tally.Observe(Asset("a", "DU1", AssetState.Working), touched));
        Assert.True(tally.Observe(Asset("b", "DU1", AssetState.Resting, kind: AssetKind.Dog), touched));
        Assert.True(tally.Observe(Asset("c", "DU2", online: false, kind: AssetKind.Machine), touched));
        Assert.Equal(["DU1", "DU2"], touched.Order());

        touched.Clear();
        Assert.False(tally.Observe(Asset("a", "DU1", AssetState.Working), touched)); // a fix that changes no count
        Assert.Empty(touched);

        var du1 = Of(tally, ["DU1"]);
        Assert.Equal(2, du1.Assets.Online);
        Assert.Equal(0, du1.Assets.Offline);
        Assert.Equal(1, du1.Assets.ByState["working"]);
        Assert.Equal(1, du1.Assets.ByState["resting"]);
        Assert.Equal(1, du1.Assets.ByKind["team"]);
        Assert.Equal(1, du1.Assets.ByKind["dog"]);
        Assert.Equal(0, du1.Assets.ByKind["rat"]); // every kind named

        // a goes offline (its stale state no longer counts), then moves to DU2.
        Assert.True(tally.Observe(Asset("a", "DU1", AssetState.Working, online: false), touched));
        Assert.Equal(0, Of(tally, ["DU1"]).Assets.ByState["working"]);
        Assert.Equal(1, Of(tally, ["DU1"]).Assets.Offline);
        touched.Clear();
        Assert.True(tally.Observe(Asset("a", "DU2", AssetState.Working, online: false), touched));
        Assert.Equal(["DU1", "DU2"], touched.Order());

        var all = Of(tally, null);
        Assert.Equal(3, all.Assets.ByKind.Values.Sum());
        Assert.Equal(1, all.Assets.Online);
        Assert.Equal(2, all.Assets.Offline);
        Assert.Equal(2, Of(tally, ["DU2"]).Assets.Offline);
        Assert.Equal(3, Of(tally, ["DU1", "DU2", "DU9"]).Assets.ByKind.Values.Sum());
        Assert.Equal(0, Of(tally, ["DU9"]).Assets.ByKind.Values.Sum()); // a unit never seen counts nothing
    }

    [Fact]
    public void A_read_never_overrides_what_the_feed_brought_after_the_read_began()
    {
        var tally = new SituationTally();
        var touched = new HashSet<string>();
        var mark = tally.Mark();
        tally.Observe(Asset("a", "DU1", AssetState.Sos), touched); // the feed, while the read is under way
        Assert.False(tally.Reread(Asset("a", "DU1", AssetState.Working), mark, touched));
        Assert.True(tally.Reread(Asset("b", "DU1", AssetState.Working), mark, touched));
        Assert.Equal(1, Of(tally, ["DU1"]).Assets.ByState["sos"]);
        Assert.Equal(1, Of(tally, ["DU1"]).Assets.ByState["working"]);
        Assert.Equal(2, tally.Assets);
    }

    [Fact]
    public void A_read_corrects_what_a_lost_update_left_wrong_and_changes_nothing_when_nothing_was_lost()
    {
        var tally = new SituationTally();
        var touched = new HashSet<string>();
        tally.Observe(Asset("a", "DU1", AssetState.Working), touched);
        tally.Observe(Asset("b", "DU1", AssetState.Working), touched);
        tally.Observe(Area("X1", HazardAreaStatus.InClearance, "DU1"), touched);

        // The feed lost a going offline and an area's release; a later read has them.
        var mark = tally.Mark();
        touched.Clear();
        Assert.True(tally.Reread(Asset("a", "DU1", AssetState.Working, online: false), mark, touched));
        Assert.False(tally.Reread(Asset("b", "DU1", AssetState.Working), mark, touched));
        Assert.True(tally.Reread(Area("X1", HazardAreaStatus.Released, "DU1"), mark, touched));
        Assert.Equal(["DU1"], touched);

        var du1 = Of(tally, ["DU1"]);
        Assert.Equal(1, du1.Assets.Online);
        Assert.Equal(1, du1.Assets.Offline);
        Assert.Equal(1, du1.Assets.ByState["working"]);
        Assert.Equal(1, du1.Areas.ByStatus["released"]);
        Assert.Equal(0, du1.Areas.ByStatus["in-clearance"]);

        // A read a moment later changes nothing; the feed goes on moving the counts after it.
        mark = tally.Mark();
        touched.Clear();
        Assert.False(tally.Reread(Asset("a", "DU1", AssetState.Working, online: false), mark, touched));
        Assert.False(tally.Reread(Area("X1", HazardAreaStatus.Released, "DU1"), mark, touched));
        Assert.Empty(touched);
        Assert.True(tally.Observe(Asset("a", "DU1", AssetState.Resting), touched));
        Assert.Equal(2, Of(tally, ["DU1"]).Assets.Online);
        Assert.Equal(1, Of(tally, ["DU1"]).Assets.ByState["resting"]);
    }

    [Fact]
    public void Only_what_the_feed_brought_after_the_mark_wins_over_a_read_and_an_older_feed_update_does_not()
    {
        var tally = new SituationTally();
        var touched = new HashSet<string>();
        tally.Observe(Asset("a", "DU1", AssetState.Working), touched); // before the mark: the read is newer
        tally.Observe(Area("X1", HazardAreaStatus.Confirmed, "DU1"), touched);
        var mark = tally.Mark();
        tally.Observe(Area("X1", HazardAreaStatus.InClearance, "DU1"), touched); // after it: newer than the read

        Assert.True(tally.Reread(Asset("a", "DU2", AssetState.Resting), mark, touched));
        Assert.False(tally.Reread(Area("X1", HazardAreaStatus.Confirmed, "DU1"), mark, touched));
        Assert.Equal(0, Of(tally, ["DU1"]).Assets.ByKind.Values.Sum());
        Assert.Equal(1, Of(tally, ["DU2"]).Assets.ByState["resting"]);
        Assert.Equal(1, Of(tally, ["DU1"]).Areas.ByStatus["in-clearance"]);

        // The next read's mark is past that feed update: the read wins again.
        mark = tally.Mark();
        Assert.True(tally.Reread(Area("X1", HazardAreaStatus.Released, "DU1"), mark, touched));
        Assert.Equal(1, Of(tally, ["DU1"]).Areas.ByStatus["released"]);
        Assert.Equal(1, tally.Areas);
    }

    [Fact]
    public void Areas_count_by_status_and_an_area_of_no_unit_counts_only_for_the_whole_cluster()
    {
        var tally = new SituationTally();
        var touched = new HashSet<string>();
        tally.Observe(Area("X1", HazardAreaStatus.Confirmed, "DU1"), touched);
        tally.Observe(Area("X2", HazardAreaStatus.Suspected, null), touched);
        tally.Observe(Area("X1", HazardAreaStatus.InClearance, "DU1"), touched);
        Assert.Equal(1, Of(tally, ["DU1"]).Areas.ByStatus["in-clearance"]);
        Assert.Equal(0, Of(tally, ["DU1"]).Areas.ByStatus["confirmed"]);
        Assert.Equal(0, Of(tally, ["DU1"]).Areas.ByStatus["suspected"]);
        Assert.Equal(1, Of(tally, null).Areas.ByStatus["suspected"]);
        Assert.Equal(["DU1"], tally.Units());
    }

    [Fact]
    public void Figures_alerts_and_requests_are_those_of_the_units_and_overdue_is_an_open_request_with_its_overdue_alert()
    {
        var tally = new SituationTally();
        var today = new DayFigures { SearchedM2 = 120.04, ClearedM2 = 50, ReducedM2 = 25, Finds = new Dictionary<string, int> { ["uxo"] = 2, ["ap-mine"] = 1, ["other"] = 0 } };
        Alert Alert(string id, AlertSeverity severity, string? unit, string kind = "sos", string? request = null) =>
            new() { Id = id, Kind = kind, Severity = severity, Message = id, RaisedAt = DateTimeOffset.UnixEpoch, Unit = unit, RequestId = request };
        DispatchSummary Request(string id, DispatchPriority priority, string? unit, DispatchStatus status = DispatchStatus.Assigned) =>
            new() { Id = id, Status = status, Priority = priority, Unit = unit, ReceivedAt = DateTimeOffset.UnixEpoch, Found = FoundItem.Uxo, Lat = 12, Lon = 104 };
        Alert[] alerts =
        [
            Alert("1", AlertSeverity.Critical, "DU1"),
            Alert("2", AlertSeverity.High, "DU1", AlertKinds.DispatchOverdue, "R1"),
            Alert("3", AlertSeverity.Warning, "DU2"),
            Alert("4", AlertSeverity.Info, null),
            Alert("5", AlertSeverity.Critical, "DU2") with { ClearedAt = DateTimeOffset.UnixEpoch }, // a phone's SOS: open until acknowledged
            Alert("6", AlertSeverity.High, "DU2", AlertKinds.DispatchOverdue, "R5") with { ClearedAt = DateTimeOffset.UnixEpoch }, // cleared: R5 is no longer overdue
        ];
        DispatchSummary[] requests =
        [
            Request("R1", DispatchPriority.High, "DU1"),
            Request("R2", DispatchPriority.Emergency, "DU1"),
            Request("R3", DispatchPriority.Routine, null),
            Request("R4", DispatchPriority.Routine, "DU1", DispatchStatus.Resolved),
            Request("R5", DispatchPriority.Routine, "DU2", DispatchStatus.Acknowledged),
        ];

        var du1 = Of(tally, ["DU1"], today, alerts, requests);
        Assert.Equal(120.0, du1.Areas.SearchedTodayM2);
        Assert.Equal(75, du1.Areas.ReleasedTodayM2);
        Assert.Equal(3, du1.Finds.Today);
        Assert.Equal(["ap-mine", "uxo"], du1.Finds.ByCategory.Keys);
        Assert.Equal(new Dictionary<string, int> { ["info"] = 0, ["warning"] = 0, ["high"] = 1, ["critical"] = 1 }, du1.Alerts.OpenBySeverity);
        Assert.Equal(new Dictionary<string, int> { ["emergency"] = 1, ["high"] = 1, ["routine"] = 0 }, du1.Requests.OpenByPriority);
        Assert.Equal(1, du1.Requests.Overdue);
        Assert.Equal(["DU1"], du1.Units);
        Assert.Equal(Day, du1.Day);

        var all = Of(tally, null, today, alerts, requests);
        Assert.Equal(6, all.Alerts.OpenBySeverity.Values.Sum());
        Assert.Equal(4, all.Requests.OpenByPriority.Values.Sum()); // the unit-less one too, never the resolved one
        Assert.Empty(all.Units);
        var du2 = Of(tally, ["DU2"], today, alerts, requests);
        Assert.Equal(new Dictionary<string, int> { ["info"] = 0, ["warning"] = 1, ["high"] = 1, ["critical"] = 1 }, du2.Alerts.OpenBySeverity);
        Assert.Equal(0, du2.Requests.Overdue); // its overdue alert is cleared: not overdue, though open until acknowledged
    }
}
