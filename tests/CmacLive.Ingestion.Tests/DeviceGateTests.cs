namespace CmacLive.Ingestion.Tests;

public sealed class DeviceGateTests
{
    private static DeviceGate Gate(int limit = 3) =>
        new(new MqttOptions { ConnectFailureLimit = limit, ConnectFailureLimitPerAddress = 100 }, TimeProvider.System);

    [Fact]
    public void A_session_is_counted_from_its_connect_check_and_a_reservation_that_never_opened_lapses()
    {
        var options = new MqttOptions { MaxConnectionsPerDevice = 2, ConnectTimeout = TimeSpan.FromMilliseconds(200) };
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var gate = new DeviceGate(options, time);
        Assert.True(gate.TryOpen("trk-1", "a"));
        Assert.True(gate.TryOpen("trk-1", "b")); // not open yet (its CONNACK on its way), but counted
        Assert.False(gate.TryOpen("trk-1", "c"));
        Assert.True(gate.TryOpen("trk-1", "a")); // a takeover of its own client id always gets in
        gate.Opened("trk-1", "a");
        gate.Closed("trk-1", "a");

        // "b" never opened (its connection was lost before the CONNACK): its reservation lapses.
        time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.True(gate.TryOpen("trk-1", "c"));
        gate.Opened("trk-1", "c");
        Assert.True(gate.TryOpen("trk-1", "d"));
        Assert.False(gate.TryOpen("trk-1", "e"));
    }

    [Fact]
    public void One_connect_of_a_device_is_checked_at_a_time()
    {
        var gate = Gate();
        Assert.Equal(ConnectGate.Checking, gate.BeforeCheck("trk-1", "10.0.0.1", "guess"));
        Assert.Equal(ConnectGate.Busy, gate.BeforeCheck("trk-1", "10.0.0.1", "guess"));
        Assert.Equal(ConnectGate.Checking, gate.BeforeCheck("trk-2", "10.0.0.1", "guess")); // another device goes on
        gate.Checked("trk-1", "10.0.0.1", "guess", accepted: false, out _);
        Assert.Equal(ConnectGate.Checking, gate.BeforeCheck("trk-1", "10.0.0.1", "guess"));
    }

    [Fact]
    public void Failures_start_a_backoff_but_checks_that_could_not_run_count_for_nothing()
    {
        var gate = Gate(limit: 3);
        for (var i = 0; i < 10; i++)
        {
            // A silo lost during a failover: the grain could not be asked.
            Assert.True(gate.BeforeCheck("trk-1", "10.0.0.1", "secret-1").Check);
            gate.Checked("trk-1", "10.0.0.1", "secret-1", accepted: null, out var started);
            Assert.False(started);
        }

        var startedAt = -1;
        for (var i = 0; i < 3; i++)
        {
            Assert.True(gate.BeforeCheck("trk-1", "10.0.0.1", "guess").Check);
            gate.Checked("trk-1", "10.0.0.1", "guess", accepted: false, out var started);
            startedAt = started ? i : startedAt;
        }

        Assert.Equal(2, startedAt);
        Assert.NotNull(gate.BeforeCheck("trk-1", "10.0.0.1", "guess").Backoff);
    }

    [Fact]
    public void During_a_backoff_only_the_secret_the_device_last_connected_with_is_checked()
    {
        var gate = Gate(limit: 1);
        Assert.True(gate.BeforeCheck("trk-1", "10.0.0.1", "right-secret").Check);
        gate.Checked("trk-1", "10.0.0.1", "right-secret", accepted: true, out _);
        Assert.True(gate.BeforeCheck("trk-1", "10.0.0.1", "guess").Check);
        gate.Checked("trk-1", "10.0.0.1", "guess", accepted: false, out var started);
        Assert.True(started);

        Assert.NotNull(gate.BeforeCheck("trk-1", "10.0.0.1", "guess-again").Backoff);
        Assert.Equal(ConnectGate.Checking, gate.BeforeCheck("trk-1", "10.0.0.1", "right-secret"));
        gate.Checked("trk-1", "10.0.0.1", "right-secret", accepted: true, out _);

        gate.Forget("trk-1"); // re-keyed or deleted: the old secret no longer opens anything
        Assert.True(gate.BeforeCheck("trk-1", "10.0.0.1", "guess").Check); // the success above ended the device's back-off
    }

    [Fact]
    public void The_rate_lets_a_burst_through_and_keeps_status_apart()
    {
        var gate = new DeviceGate(new MqttOptions { MaxMessagesPerSecondPerDevice = 0.001, MessageBurstPerDevice = 3 }, TimeProvider.System);
        var taken = Enumerable.Range(0, 5).Select(i => gate.TryUplink("trk-1", safety: false, out _)).ToList();
        Assert.Equal([true, true, true, false, false], taken);
        Assert.True(gate.TryUplink("trk-1", safety: true, out _)); // an SOS still goes through
        Assert.False(gate.TryUplink("trk-1", safety: false, out var episodeStarts));
        Assert.False(episodeStarts); // the episode started at the first refusal
    }
}
