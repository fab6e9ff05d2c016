using System.Text;
using System.Text.Json;
using MQTTnet;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A corpus of hostile uplinks published with a real MQTTnet v5 client at QoS 1 to a real silo, one case a test: each is
/// refused with PUBACK 0x99 (payload format invalid) and counted under its reason in <c>/api/ingest/stats</c>; the asset
/// does not move, its detection stays open, and the same connection's next valid fix is applied.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class HostilePayloadTests(SiloFixture fixture)
{
    private TestSilo Silo => fixture.Silo;

    /// <summary>What a payload may name: now in Unix milliseconds and seconds, and the asset's open detection.</summary>
    public sealed record Values(long Ts, long Tst, string Detection);

    /// <param name="Topic">The topic after <c>cmac/v1/{deviceId}/</c>, or <c>owntracks</c> for <c>owntracks/{deviceId}/phone</c>.</param>
    public sealed record Case(string Topic, Func<Values, byte[]> Payload, string Reason);

    /// <summary>A payload with <c>{ts}</c>, <c>{tst}</c> and <c>{detection}</c> put in.</summary>
    private static Func<Values, byte[]> P(string payload) => v => Encoding.UTF8.GetBytes(payload
        .Replace("{ts}", v.Ts.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{tst}", v.Tst.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{detection}", v.Detection, StringComparison.Ordinal));

    private static Func<Values, byte[]> Find(string members) => P("{\"ts\":{ts}," + members + "}");

    private const string Fix = "\"lat\":13.5,\"lon\":103.5";

    private static readonly Dictionary<string, Case> Corpus = new(StringComparer.Ordinal)
    {
        // A member sent twice: parsers disagree on which wins, so neither does.
        ["lat sent twice"] = new("position", P("{\"ts\":{ts}," + Fix + ",\"lat\":14.5}"), "malformed"),
        ["lat sent twice, once escaped"] = new("position", P("{\"ts\":{ts}," + Fix + ",\"l\\u0061t\":14.5}"), "malformed"),
        ["ts sent twice"] = new("position", P("{\"ts\":{ts},\"ts\":1," + Fix + "}"), "malformed"),
        ["state sent twice, sos and working"] = new("status", P("{\"ts\":{ts},\"state\":\"sos\",\"state\":\"working\"}"), "malformed"),
        ["sensor sent twice"] = new("detection", P("{\"ts\":{ts}," + Fix + ",\"sensor\":\"metal\",\"sensor\":\"dog\"}"), "malformed"),
        ["requestId sent twice"] = new("ack", P("{\"ts\":{ts},\"requestId\":\"REQ-1\",\"requestId\":\"REQ-2\"}"), "malformed"),
        ["OwnTracks _type sent twice"] = new("owntracks", P("{\"_type\":\"location\",\"_type\":\"lwt\",\"lat\":13.5,\"lon\":103.5,\"tst\":{tst}}"), "malformed"),
        ["find category sent twice"] = new("find", Find("\"detectionId\":\"{detection}\",\"category\":\"uxo\",\"category\":\"ap-mine\",\"depthCm\":5,\"disposal\":\"removed\""), "malformed"),
        ["find member sent twice inside an unknown one"] = new("find", Find("\"detectionId\":\"{detection}\",\"clutter\":true,\"x\":{\"y\":1,\"y\":2}"), "malformed"),

        // Numbers: not JSON, too large to hold, too many digits, of the wrong type.
        ["lat NaN"] = new("position", P("{\"ts\":{ts},\"lat\":NaN,\"lon\":103.5}"), "malformed"),
        ["lat Infinity"] = new("position", P("{\"ts\":{ts},\"lat\":Infinity,\"lon\":103.5}"), "malformed"),
        ["lat 1e400"] = new("position", P("{\"ts\":{ts},\"lat\":1e400,\"lon\":103.5}"), "out-of-range"),
        ["bat of 20 digits"] = new("position", P("{\"ts\":{ts}," + Fix + ",\"bat\":12345678901234567890}"), "out-of-range"),
        ["ts of 20 digits"] = new("position", P("{\"ts\":12345678901234567890," + Fix + "}"), "malformed"),
        ["OwnTracks tst of 20 digits"] = new("owntracks", P("{\"_type\":\"location\",\"lat\":13.5,\"lon\":103.5,\"tst\":12345678901234567890}"), "out-of-range"),
        ["detection depth 1e400"] = new("detection", P("{\"ts\":{ts}," + Fix + ",\"sensor\":\"metal\",\"depthCm\":1e400}"), "out-of-range"),
        ["find depth 1e400"] = new("find", Find("\"detectionId\":\"{detection}\",\"category\":\"uxo\",\"depthCm\":1e400,\"disposal\":\"removed\""), "malformed"),
        ["lat a string"] = new("position", P("{\"ts\":{ts},\"lat\":\"13.5\",\"lon\":103.5}"), "malformed"),
        ["lat an object"] = new("position", P("{\"ts\":{ts},\"lat\":{\"deg\":13.5},\"lon\":103.5}"), "malformed"),
        ["lat an array"] = new("position", P("{\"ts\":{ts},\"lat\":[13.5],\"lon\":103.5}"), "malformed"),
        ["ts true"] = new("position", P("{\"ts\":true," + Fix + "}"), "malformed"),
        ["state a number"] = new("status", P("{\"ts\":{ts},\"state\":3}"), "malformed"),
        ["requestId a number"] = new("ack", P("{\"ts\":{ts},\"requestId\":12345678901234567890}"), "malformed"),
        ["find note a number"] = new("find", Find("\"detectionId\":\"{detection}\",\"clutter\":true,\"note\":7"), "malformed"),

        // Shape: deep, not an object, not one object, empty, too large.
        ["nested 9 deep"] = new("position", P("{\"ts\":{ts}," + Fix + ",\"x\":[[[[[[[[1]]]]]]]]}"), "malformed"),
        ["nested 7000 deep"] = new("position", P("{\"ts\":{ts}," + Fix + ",\"x\":" + new string('[', 7_000) + new string(']', 7_000) + "}"), "malformed"),
        ["a JSON string"] = new("position", P("\"13.5,103.5\""), "malformed"),
        ["JSON null"] = new("position", P("null"), "malformed"),
        ["two objects"] = new("position", P("{\"ts\":{ts}," + Fix + "}{\"ts\":{ts},\"lat\":14.5,\"lon\":104.5}"), "malformed"),
        ["empty"] = new("position", P(""), "malformed"),
        ["over 16 KiB"] = new("position", P("{\"ts\":{ts}," + Fix + ",\"pad\":\"" + new string('x', 16 * 1024) + "\"}"), "too-large"),
        ["not UTF-8 in a member name"] = new("position", v => [.. P("{\"ts\":{ts}," + Fix + ",\"")(v), 0xC3, 0x28, .. "\":1}"u8], "malformed"),

        // Text and ids: path tricks, control characters, look-alikes, length.
        ["requestId climbing a path"] = new("ack", P("{\"ts\":{ts},\"requestId\":\"../REQ-1\"}"), "malformed"),
        ["requestId of dots"] = new("ack", P("{\"ts\":{ts},\"requestId\":\"..\"}"), "malformed"),
        ["requestId with a line feed"] = new("ack", P("{\"ts\":{ts},\"requestId\":\"REQ-1\\n\"}"), "malformed"),
        ["requestId with a Cyrillic look-alike"] = new("ack", P("{\"ts\":{ts},\"requestId\":\"REQ-\u0410\"}"), "malformed"),
        ["requestId of 65 characters"] = new("ack", P("{\"ts\":{ts},\"requestId\":\"" + new string('R', 65) + "\"}"), "too-large"),
        ["find note with NUL"] = new("find", Find("\"detectionId\":\"{detection}\",\"clutter\":true,\"note\":\"nail\\u0000\""), "malformed"),
        ["find note with an escape sequence"] = new("find", Find("\"detectionId\":\"{detection}\",\"clutter\":true,\"note\":\"\\u001b[2J\""), "malformed"),
        ["find note a lone surrogate"] = new("find", Find("\"detectionId\":\"{detection}\",\"clutter\":true,\"note\":\"\\ud800\""), "malformed"),
        ["find note over 1000"] = new("find", Find("\"detectionId\":\"{detection}\",\"clutter\":true,\"note\":\"" + new string('n', 1001) + "\""), "too-large"),
        ["find model over 100"] = new("find", Find("\"detectionId\":\"{detection}\",\"category\":\"uxo\",\"model\":\"" + new string('m', 101) + "\",\"depthCm\":5,\"disposal\":\"removed\""), "malformed"),
        ["find detectionId climbing a path"] = new("find", Find("\"detectionId\":\"../{detection}\",\"clutter\":true"), "malformed"),
        ["find detectionId over 100"] = new("find", Find("\"detectionId\":\"" + new string('d', 101) + "\",\"clutter\":true"), "too-large"),
        ["find detectionId a number"] = new("find", Find("\"detectionId\":7,\"clutter\":true"), "malformed"),
    };

    public static TheoryData<string> Cases() => [.. Corpus.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_uplink_is_refused_counted_and_changes_nothing(string name)
    {
        var c = Corpus[name];
        var asset = TrackedAsset.NewId("DU5-HP");
        var device = TrackedAsset.NewId("trk-hp");
        var secret = await Silo.ProvisionAsync(asset, device);
        await using var tracker = await DeviceProbe.ConnectAsync(Silo, device, secret);
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-30);
        Assert.True((await tracker.PublishFixAsync(13.4, 103.4, t0)).IsSuccess);
        var detectionTs = t0.AddSeconds(1).ToUnixTimeMilliseconds();
        var detection = await tracker.PublishAsync($"cmac/v1/{device}/detection", $$"""{"ts":{{detectionTs}},"lat":13.4,"lon":103.4,"sensor":"metal"}""");
        Assert.True(detection.IsSuccess, detection.ReasonCode.ToString());
        var detectionId = $"{device}-{detectionTs}";
        var before = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{asset}");
        var refused = await RejectedAsync(c.Reason);

        var topic = c.Topic == "owntracks" ? $"owntracks/{device}/phone" : $"cmac/v1/{device}/{c.Topic}";
        var now = DateTimeOffset.UtcNow;
        var ack = await tracker.PublishAsync(topic, c.Payload(new Values(now.ToUnixTimeMilliseconds(), now.ToUnixTimeSeconds(), detectionId)));

        Assert.True(ack.ReasonCode == MqttClientPublishReasonCode.PayloadFormatInvalid, $"{name}: {ack.ReasonCode} {ack.ReasonString}");
        Assert.False(string.IsNullOrEmpty(ack.ReasonString));
        Assert.Equal(refused + 1, await RejectedAsync(c.Reason));
        var after = await Silo.GetJsonAsync<JsonElement>($"/api/assets/{asset}");
        Assert.Equal(before.GetProperty("position").GetRawText(), after.GetProperty("position").GetRawText());
        Assert.Equal(before.GetProperty("state").GetString(), after.GetProperty("state").GetString());
        Assert.Equal(before.GetProperty("lastSeen").GetString(), after.GetProperty("lastSeen").GetString());
        Assert.Equal("open", (await Silo.GetJsonAsync<JsonElement>($"/api/detections/{detectionId}")).GetProperty("status").GetString());

        Assert.True(tracker.Client.IsConnected, $"{name}: the connection was closed");
        Assert.True((await tracker.PublishFixAsync(13.41, 103.41, DateTimeOffset.UtcNow)).IsSuccess);
        Assert.Equal(13.41, (await Silo.GetJsonAsync<JsonElement>($"/api/assets/{asset}")).GetProperty("position").GetProperty("lat").GetDouble());
    }

    private async Task<long> RejectedAsync(string reason) =>
        (await Silo.GetJsonAsync<JsonElement>("/api/ingest/stats")).GetProperty("rejected").GetProperty(reason).GetInt64();
}
