using CmacLive.Alerts;

namespace CmacLive.Domain.Tests;

public sealed class SeparationWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 12, 3, 4, 5, TimeSpan.Zero);

    private readonly SeparationState _state = new();

    private SeparationWatch NewWatch(AlertRules? rules = null) => new("HA-1", "DU5", rules ?? new AlertRules(), _state);

    [Fact]
    public void Two_working_assets_closer_than_the_minimum_raise_one_alert_for_the_pair()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        Assert.Empty(_state.Outbox);

        watch.Update("b", T0.AddSeconds(1), 24.99, 0, working: true, T0.AddSeconds(2));

        var signal = Assert.Single(_state.Outbox);
        var alert = signal.Raised!;
        var id = AlertIds.For(AlertKinds.Proximity, "a-b", T0.AddSeconds(1));
        Assert.Equal(id, signal.Id);
        Assert.Equal(id, alert.Id);
        Assert.Equal(AlertKinds.Proximity, alert.Kind);
        Assert.Equal(AlertSeverity.High, alert.Severity);
        Assert.Equal("b", alert.AssetId);
        Assert.Equal("HA-1", alert.HazardArea);
        Assert.Equal("DU5", alert.Unit);
        Assert.Equal(T0.AddSeconds(2), alert.RaisedAt);
        Assert.Equal("a and b are 25.0 m apart in HA-1; the minimum working distance is 25 m", alert.Message);
        Assert.Equal(id, _state.OpenPairs["a|b"]);
    }

    [Fact]
    public void The_pair_is_named_in_ordinal_order_whichever_asset_reported_last()
    {
        var watch = NewWatch();
        watch.Update("b", T0, 0, 0, working: true, T0);
        watch.Update("a", T0, 3, 4, working: true, T0);

        var alert = Assert.Single(_state.Outbox).Raised!;
        Assert.Equal(AlertIds.For(AlertKinds.Proximity, "a-b", T0), alert.Id);
        Assert.Equal("a", alert.AssetId);
        Assert.StartsWith("a and b are 5.0 m apart", alert.Message, StringComparison.Ordinal);
        Assert.Equal(["a|b"], _state.OpenPairs.Keys);
    }

    [Fact]
    public void Exactly_the_minimum_distance_is_far_enough()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 15, 20, working: true, T0);

        Assert.Empty(_state.Outbox);
        Assert.Empty(_state.OpenPairs);
    }

    [Fact]
    public void The_minimum_distance_is_the_rules_one()
    {
        var watch = NewWatch(new AlertRules { MinSeparationM = 50 });
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 40, 0, working: true, T0);

        Assert.Contains("the minimum working distance is 50 m", Assert.Single(_state.Outbox).Raised!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Staying_close_raises_nothing_more_and_moving_apart_clears_the_alert()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 10, 0, working: true, T0);
        var id = _state.OpenPairs["a|b"];

        watch.Update("b", T0.AddSeconds(5), 5, 0, working: true, T0.AddSeconds(5));
        watch.Update("a", T0.AddSeconds(6), 1, 0, working: true, T0.AddSeconds(6));
        Assert.Single(_state.Outbox);

        watch.Update("b", T0.AddSeconds(10), 26, 0, working: true, T0.AddSeconds(11));

        Assert.Equal(2, _state.Outbox.Count);
        var cleared = _state.Outbox[1];
        Assert.Equal(id, cleared.Id);
        Assert.Null(cleared.Raised);
        Assert.Equal(T0.AddSeconds(11), cleared.ClearedAt);
        Assert.Empty(_state.OpenPairs);
    }

    [Fact]
    public void Coming_close_again_is_a_new_episode_with_a_new_id()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 10, 0, working: true, T0);
        watch.Update("b", T0.AddSeconds(5), 100, 0, working: true, T0.AddSeconds(5));
        watch.Update("b", T0.AddSeconds(10), 10, 0, working: true, T0.AddSeconds(10));

        Assert.Equal(3, _state.Outbox.Count);
        Assert.Equal(AlertIds.For(AlertKinds.Proximity, "a-b", T0), _state.Outbox[0].Id);
        Assert.Equal(AlertIds.For(AlertKinds.Proximity, "a-b", T0.AddSeconds(10)), _state.Outbox[2].Raised!.Id);
    }

    [Fact]
    public void Positions_further_apart_in_device_time_than_the_skew_are_not_compared()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0.AddSeconds(30.001), 1, 0, working: true, T0.AddSeconds(31));
        Assert.Empty(_state.Outbox);

        watch.Update("c", T0.AddSeconds(-30), 1, 0, working: true, T0.AddSeconds(31));
        var alert = Assert.Single(_state.Outbox).Raised!;
        Assert.Equal(AlertIds.For(AlertKinds.Proximity, "a-c", T0.AddSeconds(-30)), alert.Id); // exactly the skew: compared
    }

    [Fact]
    public void An_open_pair_is_not_cleared_by_a_position_too_far_in_time_to_judge()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 10, 0, working: true, T0);

        watch.Update("b", T0.AddMinutes(5), 500, 0, working: true, T0.AddMinutes(5));

        Assert.Single(_state.Outbox);
        Assert.True(_state.OpenPairs.ContainsKey("a|b"));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Assets_that_are_not_both_working_may_be_close(bool aWorking, bool bWorking)
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, aWorking, T0);
        watch.Update("b", T0, 1, 0, bWorking, T0);

        Assert.Empty(_state.Outbox);
        Assert.Empty(_state.OpenPairs);
    }

    [Fact]
    public void One_of_the_pair_stopping_work_clears_the_alert_even_when_still_close()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 1, 0, working: true, T0);
        var id = _state.OpenPairs["a|b"];

        watch.Update("a", T0.AddSeconds(3), 0, 0, working: false, T0.AddSeconds(4));

        Assert.Equal(2, _state.Outbox.Count);
        Assert.Equal(AlertSignal.Cleared(id, T0.AddSeconds(4)), _state.Outbox[1]);
        Assert.Empty(_state.OpenPairs);
    }

    [Fact]
    public void A_late_or_repeated_position_is_not_judged()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 100, 0, working: true, T0);

        watch.Update("b", T0, 1, 0, working: true, T0);
        watch.Update("b", T0.AddSeconds(-1), 1, 0, working: true, T0);
        Assert.Empty(_state.Outbox);

        watch.Update("b", T0.AddSeconds(1), 1, 0, working: true, T0.AddSeconds(1));
        Assert.Single(_state.Outbox);
    }

    [Fact]
    public void Each_pair_of_three_close_assets_has_its_own_alert()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 10, 0, working: true, T0);
        watch.Update("c", T0, 5, 5, working: true, T0);

        Assert.Equal(3, _state.Outbox.Count);
        Assert.Equal(["a|b", "a|c", "b|c"], _state.OpenPairs.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_asset_leaving_the_area_clears_its_pairs_and_only_its_own()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 10, 0, working: true, T0);
        watch.Update("c", T0, 5, 5, working: true, T0);
        var ab = _state.OpenPairs["a|b"];
        var bc = _state.OpenPairs["b|c"];
        _state.Outbox.Clear();

        watch.Remove("b", T0.AddMinutes(1));

        Assert.Equal(2, _state.Outbox.Count);
        Assert.Contains(AlertSignal.Cleared(ab, T0.AddMinutes(1)), _state.Outbox);
        Assert.Contains(AlertSignal.Cleared(bc, T0.AddMinutes(1)), _state.Outbox);
        Assert.Equal(["a|c"], _state.OpenPairs.Keys);

        // Gone means no longer compared: another asset may work where it was without a pair with it.
        watch.Update("d", T0.AddSeconds(10), 10, 0, working: true, T0.AddMinutes(1));
        Assert.Equal(["a|c", "a|d", "c|d"], _state.OpenPairs.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Removing_an_asset_with_no_open_pair_signals_nothing()
    {
        var watch = NewWatch();
        watch.Update("a", T0, 0, 0, working: true, T0);
        watch.Update("b", T0, 100, 0, working: true, T0);

        watch.Remove("a", T0);
        watch.Remove("nobody", T0);

        Assert.Empty(_state.Outbox);
    }
}
