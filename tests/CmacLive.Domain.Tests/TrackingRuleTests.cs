using CmacLive.Assets;
using CmacLive.Devices;
using CmacLive.Tracking;

namespace CmacLive.Domain.Tests;

public sealed class TrackingRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 12, 3, 4, 5, TimeSpan.Zero);

    private sealed class NoAreas : IHazardAreaLocator
    {
        public string? Locate(double lat, double lon) => null;
    }

    private static AssetTracker NewTracker()
    {
        var tracker = new AssetTracker(new AssetTrackState());
        tracker.Configure(new AssetProfile { Kind = AssetKind.Team, Name = "EOD team 1", Unit = "DU5" });
        return tracker;
    }

    private static FixReport Fix(DateTimeOffset ts, double lat = 13.36) => new() { DeviceId = "d", Ts = ts, Lat = lat, Lon = 102.98 };

    [Fact]
    public void Newer_fixes_apply_equal_ones_are_duplicates_older_ones_are_late()
    {
        var tracker = NewTracker();
        Assert.Equal(ReportOutcome.Applied, tracker.ApplyFix(Fix(T0), T0, new NoAreas()).Outcome);
        Assert.Equal(ReportOutcome.Duplicate, tracker.ApplyFix(Fix(T0, 1), T0, new NoAreas()).Outcome);
        Assert.Equal(ReportOutcome.Late, tracker.ApplyFix(Fix(T0.AddMilliseconds(-1), 2), T0, new NoAreas()).Outcome);
        Assert.Equal(13.36, tracker.ToStatus("x").Position!.Lat);
    }

    [Fact]
    public void The_first_fix_brings_the_asset_online_which_is_a_change_that_matters()
    {
        var tracker = NewTracker();
        var first = tracker.ApplyFix(Fix(T0), T0, new NoAreas());
        var second = tracker.ApplyFix(Fix(T0.AddSeconds(1)), T0.AddSeconds(1), new NoAreas());

        Assert.True(first.Significant);
        Assert.True(second.StatusChanged);
        Assert.False(second.Significant);
    }

    [Fact]
    public void Liveness_is_judged_on_arrival_time_with_the_timeout()
    {
        var tracker = NewTracker();
        tracker.ApplyFix(Fix(T0.AddHours(-3)), T0, new NoAreas()); // an old device clock does not matter
        Assert.False(tracker.CheckLiveness(T0.AddSeconds(119), TimeSpan.FromMinutes(2)));
        Assert.True(tracker.CheckLiveness(T0.AddSeconds(120), TimeSpan.FromMinutes(2)));
        Assert.False(tracker.ToStatus("x").Online);
        Assert.False(tracker.CheckLiveness(T0.AddSeconds(500), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void A_newer_detection_or_status_of_the_same_state_is_a_change_to_keep_and_show()
    {
        var tracker = NewTracker();
        tracker.ApplyFix(Fix(T0), T0, new NoAreas());
        tracker.ApplyStatus(new StatusReport { DeviceId = "d", Ts = T0, State = AssetState.Working }, T0);

        var detection = tracker.ApplyHeard(T0.AddSeconds(5), T0.AddSeconds(5));
        Assert.True(detection.StatusChanged);
        Assert.Equal(T0.AddSeconds(5), tracker.ToStatus("x").LastSeen);

        var sameState = tracker.ApplyStatus(new StatusReport { DeviceId = "d", Ts = T0.AddSeconds(6), State = AssetState.Working }, T0.AddSeconds(6));
        Assert.True(sameState.StatusChanged);
        Assert.False(sameState.Significant);
        Assert.Equal(ReportOutcome.Late, tracker.ApplyStatus(new StatusReport { DeviceId = "d", Ts = T0.AddSeconds(5.5), State = AssetState.Sos }, T0).Outcome);
        Assert.Equal(AssetState.Working, tracker.ToStatus("x").State);
    }

    [Fact]
    public void A_fix_belongs_to_the_working_period_of_its_device_time_even_after_that_period_ended()
    {
        var tracker = NewTracker();
        Status(tracker, 0, AssetState.Working);
        var first = tracker.State.WorkRun;
        Assert.Equal(first, tracker.WorkRunAt(T0.AddSeconds(5)));
        Assert.Null(tracker.WorkRunAt(T0.AddSeconds(-1)));

        // The SOS at 10 s ends the period; a fix of 9 s heard afterwards is still work of it, one of 10 s on is not.
        Status(tracker, 10, AssetState.Sos);
        Assert.Equal(first, tracker.WorkRunAt(T0.AddSeconds(9)));
        Assert.Null(tracker.WorkRunAt(T0.AddSeconds(10)));
        Assert.Null(tracker.WorkRunAt(T0.AddSeconds(-1)));

        Status(tracker, 20, AssetState.Working);
        Assert.Equal(first + 1, tracker.WorkRunAt(T0.AddSeconds(25)));
        Assert.Equal(first, tracker.WorkRunAt(T0.AddSeconds(9)));
        Assert.Null(tracker.WorkRunAt(T0.AddSeconds(15)));

        // A new task starts afresh: nothing of the old one's periods is work any more.
        Status(tracker, 30, AssetState.Resting);
        tracker.AssignTask("PL/NEW");
        Assert.Null(tracker.WorkRunAt(T0.AddSeconds(25)));

        static void Status(AssetTracker tracker, double second, AssetState state) =>
            tracker.ApplyStatus(new StatusReport { DeviceId = "d", Ts = T0.AddSeconds(second), State = state }, T0.AddSeconds(second));
    }

    [Fact]
    public void A_status_overtaken_by_an_sos_still_begins_or_ends_the_working_period_its_fixes_belong_to()
    {
        // Resting; "working" at 10 s is in flight when the SOS of 12 s overtakes it: the fix of 11 s, sent after the
        // working status, is work of the period from 10 to 12 s, with a run of its own.
        var began = NewTracker();
        Status(began, 0, AssetState.Resting);
        var before = began.State.WorkRun;
        Status(began, 12, AssetState.Sos);
        Assert.Equal(ReportOutcome.Late, Status(began, 10, AssetState.Working));
        Assert.Equal(AssetState.Sos, began.State.State);
        Assert.Equal(before + 1, began.WorkRunAt(T0.AddSeconds(11)));
        Assert.Null(began.WorkRunAt(T0.AddSeconds(9)));
        Assert.Null(began.WorkRunAt(T0.AddSeconds(12)));

        // Working; "resting" at 10 s is in flight when the SOS of 12 s overtakes it: the period ended at 10 s.
        var ended = NewTracker();
        Status(ended, 0, AssetState.Working);
        var run = ended.State.WorkRun;
        Status(ended, 12, AssetState.Sos);
        Assert.Equal(run, ended.WorkRunAt(T0.AddSeconds(11)));
        Status(ended, 10, AssetState.Resting);
        Assert.Equal(run, ended.WorkRunAt(T0.AddSeconds(9)));
        Assert.Null(ended.WorkRunAt(T0.AddSeconds(11)));
        Assert.Equal(run, ended.State.WorkRun);

        static ReportOutcome Status(AssetTracker tracker, double second, AssetState state) =>
            tracker.ApplyStatus(new StatusReport { DeviceId = "d", Ts = T0.AddSeconds(second), State = state }, T0.AddSeconds(20)).Outcome;
    }

    [Theory]
    [InlineData("trk-1", true)]
    [InlineData("trk-1:phone", true)]
    [InlineData("trk-10", false)]
    [InlineData("trk-1-x", false)]
    [InlineData("trk-1:", false)]
    [InlineData("trk", false)]
    public void A_client_id_is_the_device_id_or_the_device_id_and_a_colon(string clientId, bool own) =>
        Assert.Equal(own, DeviceIds.IsOwnClientId(clientId, "trk-1"));

    [Theory]
    [InlineData(13.36, 102.98, null)]
    [InlineData(90.0, 180.0, null)]
    [InlineData(90.01, 102.98, RejectReason.OutOfRange)]
    [InlineData(13.36, -180.01, RejectReason.OutOfRange)]
    [InlineData(double.NaN, 102.98, RejectReason.OutOfRange)]
    [InlineData(13.36, double.PositiveInfinity, RejectReason.OutOfRange)]
    [InlineData(0.0, 0.0, RejectReason.NoFix)]
    public void Points_must_be_finite_wgs84_and_not_null_island(double lat, double lon, RejectReason? expected) =>
        Assert.Equal(expected, FieldRules.CheckPoint(lat, lon));

    [Fact]
    public void Times_more_than_five_minutes_ahead_or_before_2000_are_refused()
    {
        Assert.Null(FieldRules.CheckTime(T0.AddMinutes(5), T0));
        Assert.Equal(RejectReason.FutureTime, FieldRules.CheckTime(T0.AddMinutes(5).AddMilliseconds(1), T0));
        Assert.Null(FieldRules.CheckTime(T0.AddDays(-30), T0));
        Assert.Equal(RejectReason.AncientTime, FieldRules.CheckTime(DateTimeOffset.UnixEpoch, T0));
    }

    [Fact]
    public void Device_secrets_verify_only_against_their_own_hash()
    {
        var hash = DeviceSecret.Hash("correct horse");
        Assert.StartsWith("pbkdf2-sha256$", hash);
        Assert.DoesNotContain("correct horse", hash);
        Assert.True(DeviceSecret.Verify("correct horse", hash));
        Assert.False(DeviceSecret.Verify("correct horsE", hash));
        Assert.False(DeviceSecret.Verify("correct horse", "garbage"));
        Assert.NotEqual(hash, DeviceSecret.Hash("correct horse")); // salted
    }
}
