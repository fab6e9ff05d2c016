using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using static CmacLive.EndToEnd.Tests.RawMqtt;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A malformed-MQTT corpus sent byte by byte over real TCP: each case asserts the refusal (the connection ended,
/// or the CONNACK, PUBACK or SUBACK code), that nothing of it was applied, and that the silo still serves a
/// well-behaved device afterwards.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class HostileMqttTests(SiloFixture fixture)
{
    private const byte Connack = 2;
    private const byte Puback = 4;
    private const byte Suback = 9;

    private TestSilo Silo => fixture.Silo;

    private static string NewId(string prefix) => TrackedAsset.NewId(prefix);

    /// <summary>Every packet type a client could send, each with flags its type allows.</summary>
    private static readonly byte[] FirstBytes = [0x10, 0x20, 0x32, 0x40, 0x50, 0x62, 0x70, 0x82, 0x90, 0xA2, 0xB0, 0xC0, 0xD0, 0xE0, 0xF0];

    public static TheoryData<string, byte[]> BeforeConnect()
    {
        var cases = new TheoryData<string, byte[]>();
        foreach (var first in FirstBytes)
        {
            // Truncated: declares ten bytes, sends three, then stops sending.
            cases.Add($"type {first >> 4} truncated", [first, 10, 0, 4, (byte)'M']);
        }

        cases.Add("a remaining length of five bytes", [0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]);
        cases.Add("reserved packet type 0", [0x00, 0x00]);
        cases.Add("PINGREQ before CONNECT", [0xC0, 0x00]);
        cases.Add("PUBLISH before CONNECT", Publish("cmac/v1/x/position", 1, "{}"));
        cases.Add("SUBSCRIBE before CONNECT", Subscribe(1, "#"));
        cases.Add("CONNECT with reserved flags in its fixed header", Packet(0x11, Str("MQTT"), [4, 0xC2, 0, 60], Str("c"), Str("u"), Str("p")));
        cases.Add("CONNECT of an unknown protocol name", Packet(0x10, Str("MQTX"), [4, 0xC2, 0, 60], Str("c"), Str("u"), Str("p")));
        cases.Add("CONNECT of protocol level 9", Packet(0x10, Str("MQTT"), [9, 0xC2, 0, 60], Str("c"), Str("u"), Str("p")));
        cases.Add("CONNECT with the reserved connect flag set", Packet(0x10, Str("MQTT"), [4, 0xC3, 0, 60], Str("c"), Str("u"), Str("p")));
        cases.Add("CONNECT whose strings run past its end", Packet(0x10, Str("MQTT"), [4, 0xC2, 0, 60], [0, 200, (byte)'c']));
        cases.Add("CONNECT with a body of zero bytes", [0x10, 0x00]);
        return cases;
    }

    [Theory]
    [MemberData(nameof(BeforeConnect))]
    public async Task Malformed_or_out_of_turn_packets_before_connect_end_the_connection_without_a_session(string what, byte[] bytes)
    {
        await using (var raw = await OpenAsync(Silo.MqttPort))
        {
            await raw.SendAsync(bytes);
            var answered = await raw.ReadUntilClosedAsync(seconds: 15);
            // Nothing but, at most, a refusing CONNACK: never a session.
            Assert.True(answered.All(t => t == Connack), $"{what}: the server answered {string.Join(",", answered)}");
        }

        await AssertStillServesAsync();
    }

    public static TheoryData<string, byte[]> RefusedConnects() => new()
    {
        { "a client id of bad UTF-8", Packet(0x10, Str("MQTT"), [4, 0xC2, 0, 60], Str([0xC3, 0x28]), Str("trk-x"), Str("p")) },
        { "a user name of bad UTF-8", Packet(0x10, Str("MQTT"), [4, 0xC2, 0, 60], Str("c"), Str([0xFF, 0xFE, 0x41]), Str("p")) },
        { "a password without a user name", Packet(0x10, Str("MQTT"), [4, 0x42, 0, 60], Str("trk-x"), Str("p")) },
        { "no credentials at all", Packet(0x10, Str("MQTT"), [4, 0x02, 0, 60], Str("trk-x")) },
        { "a user name that is a topic filter", Connect("#", "#", "p") },
        { "a user name with a path in it", Connect("../trk", "../trk", "p") },
    };

    [Theory]
    [MemberData(nameof(RefusedConnects))]
    public async Task Connects_with_bad_strings_or_credentials_are_refused_or_ended(string what, byte[] bytes)
    {
        await using (var raw = await OpenAsync(Silo.MqttPort))
        {
            await raw.SendAsync(bytes);
            var answer = await raw.ReadAsync(15);
            if (answer is { } connack)
            {
                Assert.Equal(Connack, connack.Type);
                Assert.NotEqual(0, connack.Body[1]); // a refusing return code, never "accepted"
            }

            Assert.Empty(await raw.ReadUntilClosedAsync(15));
            _ = what;
        }

        await AssertStillServesAsync();
    }

    /// <summary>After a good CONNECT: what is sent next, and what must come of it.</summary>
    public static TheoryData<string> AfterConnect() =>
    [
        "CONNECT again",
        "PUBLISH with QoS 3",
        "SUBSCRIBE with flags 0",
        "UNSUBSCRIBE with flags 0",
        "PUBREL with flags 0",
        "PINGREQ with flags",
        "CONNACK from the client",
        "SUBACK from the client",
        "a PUBLISH cut short",
        "a PUBLISH whose topic runs past its end",
        "a PUBLISH declaring 70,000 bytes",
        "a SUBSCRIBE declaring 70,000 bytes",
        "a PINGREQ declaring 70,000 bytes",
        "a PUBACK declaring 70,000 bytes",
    ];

    [Theory]
    [MemberData(nameof(AfterConnect))]
    public async Task Malformed_packets_after_connect_end_the_connection_and_nothing_of_them_is_applied(string what)
    {
        var (deviceId, secret, assetId) = await ProvisionAsync();
        var fix = DeviceProbe.Fix(12.5, 104.9, DateTimeOffset.UtcNow);
        var topic = $"cmac/v1/{deviceId}/position";
        byte[] bytes = what switch
        {
            "CONNECT again" => Connect(deviceId, deviceId, secret),
            "PUBLISH with QoS 3" => Publish(topic, 7, fix, first: 0x36),
            "SUBSCRIBE with flags 0" => Subscribe(8, $"cmac/v1/{deviceId}/cmd", first: 0x80),
            "UNSUBSCRIBE with flags 0" => Packet(0xA0, U16(9), Str($"cmac/v1/{deviceId}/cmd")),
            "PUBREL with flags 0" => Packet(0x60, U16(10)),
            "PINGREQ with flags" => [0xC1, 0x00],
            "CONNACK from the client" => [0x20, 0x02, 0x00, 0x00],
            "SUBACK from the client" => Packet(0x90, U16(1), [0]),
            "a PUBLISH cut short" => Publish(topic, 11, fix)[..^5],
            "a PUBLISH whose topic runs past its end" => Packet(0x32, [0x00, 0xF0], "cmac/v1/"u8.ToArray(), U16(12)),
            // Over Mqtt:MaxPacketBytes (65536 by default): ended on the header, whatever the type.
            "a PUBLISH declaring 70,000 bytes" => [0x32, 0xF0, 0xA2, 0x04, .. Str(topic), 0, 13],
            "a SUBSCRIBE declaring 70,000 bytes" => [0x82, 0xF0, 0xA2, 0x04, 0, 14],
            "a PINGREQ declaring 70,000 bytes" => [0xC0, 0xF0, 0xA2, 0x04],
            "a PUBACK declaring 70,000 bytes" => [0x40, 0xF0, 0xA2, 0x04, 0, 1],
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        await using (var raw = await OpenAsync(Silo.MqttPort))
        {
            await raw.SendAsync(Connect(deviceId, deviceId, secret));
            var connack = await raw.ReadAsync();
            Assert.Equal(Connack, connack?.Type);
            Assert.Equal(0, connack!.Value.Body[1]);

            await raw.SendAsync(bytes);
            if (what == "a PUBLISH cut short")
            {
                await raw.DisposeAsync(); // the device's link drops mid-packet
            }
            else
            {
                var answered = await raw.ReadUntilClosedAsync(15);
                Assert.DoesNotContain(Puback, answered);
            }
        }

        await AssertNeverMovedAsync(assetId);
        await AssertStillServesAsync();
    }

    public static TheoryData<string, string, int> RefusedPublishes() => new()
    {
        // topic (with {me} and {other} filled in), MQTT 5 PUBACK code
        { "a topic with a wildcard", "cmac/v1/{me}/+", 0x90 },
        { "a multi-level wildcard", "cmac/v1/{me}/#", 0x90 },
        { "another device's topic", "cmac/v1/{other}/position", 0x87 },
        { "a $SYS topic", "$SYS/broker/load", 0x90 },
        { "a shared-subscription name", "$share/g/cmac/v1/{me}/position", 0x90 },
        { "a topic climbing out", "cmac/v1/{me}/../{other}/position", 0x90 },
        { "an empty level", "cmac/v1//position", 0x90 },
        { "a control character", "cmac/v1/{me}/position\u0000", 0x90 },
    };

    [Theory]
    [MemberData(nameof(RefusedPublishes))]
    public async Task Publishes_on_topics_a_device_may_not_use_are_refused_with_their_code_and_not_applied(string what, string pattern, int code)
    {
        var (deviceId, secret, assetId) = await ProvisionAsync();
        var (otherDevice, _, otherAsset) = await ProvisionAsync();
        var topic = pattern.Replace("{me}", deviceId).Replace("{other}", otherDevice);
        var device = await DeviceProbe.ConnectAsync(Silo, deviceId, secret);
        await using (device)
        {
            var fix = DeviceProbe.Fix(12.5, 104.9, DateTimeOffset.UtcNow);
            try
            {
                var result = await device.PublishAsync(topic, fix);
                Assert.Equal(code, (int)result.ReasonCode);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttProtocolViolationException or ArgumentException)
            {
                // The client library itself would not send it: a client that does is the raw case below.
            }
        }

        await using (var raw = await OpenAsync(Silo.MqttPort))
        {
            await raw.SendAsync(Connect(deviceId, deviceId, secret));
            Assert.Equal(0, (await raw.ReadAsync())!.Value.Body[1]);
            await raw.SendAsync(Publish(topic, 5, DeviceProbe.Fix(12.5, 104.9, DateTimeOffset.UtcNow)));
            // MQTT 3.1.1 cannot say why: the message is acknowledged and dropped, or the connection ended.
            var answer = await raw.ReadAsync(15);
            Assert.True(answer is null || answer.Value.Type == Puback, what);
        }

        await AssertNeverMovedAsync(assetId);
        await AssertNeverMovedAsync(otherAsset);
        await AssertStillServesAsync();
    }

    public static TheoryData<string> RefusedFilters() =>
    [
        "#",
        "+/+/+/cmd",
        "$SYS/#",
        "$share/g/cmac/v1/#",
        "$share/g/cmac/v1/{me}/cmd",
        "cmac/v1/{other}/cmd",
        "cmac/v1/+/cmd",
        "cmac/v1/{me}/#",
        "cmac/v1/{me}/position",
    ];

    [Theory]
    [MemberData(nameof(RefusedFilters))]
    public async Task Subscriptions_beyond_the_devices_own_downlink_are_refused(string pattern)
    {
        var (deviceId, secret, _) = await ProvisionAsync();
        var filter = pattern.Replace("{me}", deviceId).Replace("{other}", NewId("trk"));
        await using var raw = await OpenAsync(Silo.MqttPort);
        await raw.SendAsync(Connect(deviceId, deviceId, secret));
        Assert.Equal(0, (await raw.ReadAsync())!.Value.Body[1]);
        await raw.SendAsync(Subscribe(3, filter));
        var answer = await raw.ReadAsync(15);
        if (answer is { } suback)
        {
            Assert.Equal(Suback, suback.Type);
            Assert.Equal(0x80, suback.Body[^1]); // MQTT 3.1.1: failure
        }

        await AssertStillServesAsync();
    }

    private async Task<(string DeviceId, string Secret, string AssetId)> ProvisionAsync()
    {
        var deviceId = NewId("trk");
        var assetId = NewId("DU5-EOD");
        var secret = await Silo.ProvisionAsync(assetId, deviceId);
        return (deviceId, secret, assetId);
    }

    private async Task AssertNeverMovedAsync(string assetId)
    {
        var asset = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{assetId}");
        Assert.True(asset.TryGetProperty("position", out var position) is false || position.ValueKind == JsonValueKind.Null,
            $"asset {assetId} moved: {asset}");
    }

    /// <summary>The silo answers and a well-behaved device still reports.</summary>
    private async Task AssertStillServesAsync()
    {
        Assert.Equal("Healthy", await Silo.Http.GetStringAsync("/health"));
        var (deviceId, secret, _) = await ProvisionAsync();
        var device = await DeviceProbe.ConnectAsync(Silo, deviceId, secret);
        await using (device)
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, (await device.PublishFixAsync(12.5, 104.9, DateTimeOffset.UtcNow)).ReasonCode);
        }
    }
}
