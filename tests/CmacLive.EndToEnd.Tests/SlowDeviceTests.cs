using System.Diagnostics;
using System.Globalization;
using MQTTnet;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Each connection is read and handled on its own, in its own order: devices that stall in the middle of a packet, or
/// one that floods the broker, hold up no other device's uplinks, acknowledgements or dashboard updates.
/// </summary>
public sealed class SlowDeviceTests
{
    private const int Stalled = 20;

    [Fact]
    public async Task Devices_stalled_mid_packet_and_one_flooding_hold_up_no_other_device()
    {
        await using var silo = await TestSilo.StartAsync();
        await using var probe = await TrackedAsset.StartAsync(silo, "team", "DU5");

        // Devices with good credentials, each connected, then stopped three bytes into a PUBLISH that declares more.
        var neighbours = new List<RawMqtt>();
        var unfinished = new List<(RawMqtt Device, byte[] Remainder)>();
        try
        {
            for (var i = 0; i < Stalled; i++)
            {
                var deviceId = TrackedAsset.NewId("trk-slow");
                var secret = await silo.ProvisionAsync(TrackedAsset.NewId("DU5-slow"), deviceId);
                var raw = await RawMqtt.OpenAsync(silo.MqttPort);
                neighbours.Add(raw);
                await raw.SendAsync(RawMqtt.Connect(deviceId, deviceId, secret));
                Assert.Equal((byte)2, (await raw.ReadAsync())?.Type); // CONNACK
                var publish = RawMqtt.Publish($"cmac/v1/{deviceId}/fix", 1, Fix(DateTimeOffset.UtcNow));
                await raw.SendAsync(publish[..3]);
                unfinished.Add((raw, publish[3..]));
            }

            // One more floods QoS 0 fixes as fast as its socket takes them, until the silo cuts it off (its rate).
            var floodId = TrackedAsset.NewId("trk-flood");
            var floodSecret = await silo.ProvisionAsync(TrackedAsset.NewId("DU5-flood"), floodId);
            var flood = await RawMqtt.OpenAsync(silo.MqttPort);
            neighbours.Add(flood);
            await flood.SendAsync(RawMqtt.Connect(floodId, floodId, floodSecret));
            Assert.Equal((byte)2, (await flood.ReadAsync())?.Type);
            using var stop = new CancellationTokenSource();
            var flooding = Task.Run(async () =>
            {
                var ts = DateTimeOffset.UtcNow;
                while (!stop.IsCancellationRequested)
                {
                    ts = ts.AddMilliseconds(1);
                    await flood.SendAsync(RawMqtt.Publish($"cmac/v1/{floodId}/fix", 0, Fix(ts), first: 0x30));
                }
            });

            // Meanwhile the probe's fixes, acknowledged once stored, each within seconds and in order on its dashboard.
            var slowest = TimeSpan.Zero;
            var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            for (var i = 0; i < 20; i++)
            {
                var clock = Stopwatch.StartNew();
                var result = await probe.Tracker.PublishFixAsync(12.5 + (i * 0.0001), 104.9, start.AddSeconds(i)).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
                slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            }

            await stop.CancelAsync();
            await flooding;
            Assert.True(slowest < TimeSpan.FromSeconds(5), $"a fix of the probe took {slowest.TotalMilliseconds:0} ms to be acknowledged beside the stalled and flooding devices");
            var last = await probe.UpdateAsync(s => HubProbe.Lat(s) is { } lat && Math.Abs(lat - (12.5 + (19 * 0.0001))) < 1e-9);
            Assert.Equal(start.AddSeconds(19), last.GetProperty("position").GetProperty("ts").GetDateTimeOffset());

            // The stalled devices are still connected (half a packet is no packet): each finishes its PUBLISH now and has
            // it acknowledged.
            foreach (var (device, remainder) in unfinished)
            {
                await device.SendAsync(remainder);
                Assert.Equal((byte)4, (await device.ReadAsync())?.Type); // PUBACK
            }
        }
        finally
        {
            foreach (var raw in neighbours)
            {
                await raw.DisposeAsync();
            }
        }
    }

    private static string Fix(DateTimeOffset ts) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"ts":"{{ts.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","lat":12.6,"lon":104.8,"acc":4}""");
}
