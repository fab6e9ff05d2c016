using System.Buffers;
using System.Text;
using CmacLive.Assets;
using CmacLive.Detections;
using CmacLive.Tracking;
using CmacLive.Validation;

namespace CmacLive.Ingestion.Tests;

public sealed class PayloadDecoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 12, 3, 10, 0, TimeSpan.Zero);

    private static Decoded Decode(TopicKind kind, string json) =>
        PayloadDecoder.Decode(kind, "trk-1", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), Now);

    [Fact]
    public void A_full_position_decodes_with_every_field()
    {
        var d = Decode(TopicKind.Position, """{"ts":"2026-05-12T03:04:05.678Z","lat":13.3633,"lon":102.9876,"acc":4.5,"alt":12,"spd":1.2,"hdg":270,"bat":81,"extra":{"nested":[1,2]}}""");

        Assert.Equal(DecodedKind.Fix, d.Kind);
        var fix = d.Fix!;
        Assert.Equal("trk-1", fix.DeviceId);
        Assert.Equal(new DateTimeOffset(2026, 5, 12, 3, 4, 5, 678, TimeSpan.Zero), fix.Ts);
        Assert.Equal((13.3633, 102.9876, 4.5, 12.0, 1.2, 270.0, 81), (fix.Lat, fix.Lon, fix.Acc!.Value, fix.Alt!.Value, fix.Spd!.Value, fix.Hdg!.Value, fix.Bat!.Value));
    }

    [Theory]
    [InlineData("\"2026-05-12T03:04:05Z\"")]
    [InlineData("\"2026-05-12T10:04:05+07:00\"")]
    [InlineData("\"2026-05-12T03:04:05\"")]
    [InlineData("1778555045000")]
    public void Ts_is_iso_8601_utc_or_epoch_milliseconds(string ts)
    {
        var d = Decode(TopicKind.Position, $$"""{"ts":{{ts}},"lat":13.3,"lon":102.9}""");
        Assert.Equal(new DateTimeOffset(2026, 5, 12, 3, 4, 5, TimeSpan.Zero), d.Fix!.Ts);
    }

    [Fact]
    public void Device_times_keep_millisecond_precision()
    {
        var d = Decode(TopicKind.Position, """{"ts":"2026-05-12T03:04:05.6789Z","lat":13.3,"lon":102.9}""");
        Assert.Equal(678, d.Fix!.Ts.Millisecond);
        Assert.Equal(0, d.Fix.Ts.Microsecond);
    }

    [Theory]
    [InlineData("", RejectReason.Malformed)]
    [InlineData("not json", RejectReason.Malformed)]
    [InlineData("{\"ts\":1778555045000,\"lat\":13.3", RejectReason.Malformed)]
    [InlineData("{\"ts\":1778555045000,\"lat\":13.3,\"lon\":102.9} {}", RejectReason.Malformed)]
    [InlineData("{\"lat\":13.3,\"lon\":102.9}", RejectReason.Malformed)]
    [InlineData("{\"ts\":true,\"lat\":13.3,\"lon\":102.9}", RejectReason.Malformed)]
    [InlineData("{\"ts\":1778555045000,\"lat\":\"13.3\",\"lon\":102.9}", RejectReason.Malformed)]
    [InlineData("{\"ts\":1778555045000,\"lat\":null,\"lon\":102.9}", RejectReason.Malformed)]
    [InlineData("{\"ts\":1778555045000,\"lat\":1e999,\"lon\":102.9}", RejectReason.OutOfRange)]
    [InlineData("{\"ts\":1778555045000,\"lat\":-91,\"lon\":102.9}", RejectReason.OutOfRange)]
    [InlineData("{\"ts\":1778555045000,\"lat\":13.3,\"lon\":102.9,\"acc\":-1}", RejectReason.OutOfRange)]
    [InlineData("{\"ts\":1778555045000,\"lat\":13.3,\"lon\":102.9,\"hdg\":361}", RejectReason.OutOfRange)]
    [InlineData("{\"ts\":1778555045000,\"lat\":13.3,\"lon\":102.9,\"bat\":101}", RejectReason.OutOfRange)]
    [InlineData("{\"ts\":1778555045000,\"lat\":0,\"lon\":0}", RejectReason.NoFix)]
    [InlineData("{\"ts\":1778555760000,\"lat\":13.3,\"lon\":102.9}", RejectReason.FutureTime)]
    [InlineData("{\"ts\":1778555045,\"lat\":13.3,\"lon\":102.9}", RejectReason.AncientTime)]
    public void Bad_positions_are_refused_with_their_reason(string json, RejectReason reason)
    {
        var d = Decode(TopicKind.Position, json);
        Assert.Equal(DecodedKind.Rejected, d.Kind);
        Assert.Equal(reason, d.Reason);
        Assert.False(string.IsNullOrEmpty(d.Detail));
    }

    [Theory]
    [InlineData("{\"ts\":1778555045000,\"state\":\"\\ud800\"}")]
    [InlineData("{\"\\udc00\":1,\"ts\":1778555045000,\"state\":\"sos\"}")]
    [InlineData("{\"ts\":\"\\ud800\",\"state\":\"sos\"}")]
    public void Text_that_cannot_be_read_is_malformed_never_an_exception(string json) =>
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Status, json).Reason);

    [Fact]
    public void Payloads_over_16_kib_are_refused_before_parsing()
    {
        var d = Decode(TopicKind.Position, "{\"pad\":\"" + new string('x', 16 * 1024) + "\"}");
        Assert.Equal(RejectReason.TooLarge, d.Reason);
    }

    [Fact]
    public void Status_and_detection_decode_and_refuse_unknown_words()
    {
        var status = Decode(TopicKind.Status, """{"ts":1778555045000,"state":"sos","bat":12}""");
        Assert.Equal((AssetState.Sos, 12), (status.Status!.State, status.Status.Bat!.Value));
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Status, """{"ts":1778555045000,"state":"SOS!"}""").Reason);

        var detection = Decode(TopicKind.Detection, """{"ts":1778555045000,"lat":13.3,"lon":102.9,"sensor":"rat","depthCm":15}""");
        Assert.Equal((DetectionSensor.Rat, 15.0), (detection.Detection!.Sensor, detection.Detection.DepthCm!.Value));
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Detection, """{"ts":1778555045000,"lat":13.3,"lon":102.9}""").Reason);
        Assert.Equal(RejectReason.OutOfRange, Decode(TopicKind.Detection, """{"ts":1778555045000,"lat":13.3,"lon":102.9,"sensor":"gpr","depthCm":-3}""").Reason);
    }

    [Fact]
    public void An_ack_names_its_request_and_is_refused_without_one()
    {
        var d = Decode(TopicKind.Ack, """{"ts":1778555045000,"requestId":"REQ-20260512-A1B2C3"}""");
        Assert.Equal(DecodedKind.Ack, d.Kind);
        Assert.Equal("REQ-20260512-A1B2C3", d.Ack!.RequestId);
        Assert.Equal("trk-1", d.Ack.DeviceId);
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Ack, """{"ts":1778555045000}""").Reason);
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Ack, """{"ts":1778555045000,"requestId":42}""").Reason);
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Ack, """{"requestId":"REQ-1"}""").Reason);
    }

    [Fact]
    public void A_status_of_offline_is_a_last_will_with_or_without_a_time_and_any_other_word_is_refused_naming_it()
    {
        Assert.Equal(DecodedKind.Gone, Decode(TopicKind.Status, """{"state":"offline"}""").Kind);
        Assert.Equal(DecodedKind.Gone, Decode(TopicKind.Status, """{"ts":1778555045000,"state":"offline"}""").Kind);
        Assert.Equal(DecodedKind.Gone, Decode(TopicKind.Status, """{"state":"\u006fffline"}""").Kind);
        var refused = Decode(TopicKind.Status, """{"state":"asleep"}""");
        Assert.Equal(RejectReason.Malformed, refused.Reason);
        Assert.Contains("or offline", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Status, """{"state":"offline","state":"working"}""").Reason);
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Status, """{"ts":1778555045000,"state":"Offline"}""").Reason);
    }

    [Fact]
    public void Owntracks_locations_convert_seconds_and_kmh_and_other_types_are_ignored()
    {
        var d = Decode(TopicKind.OwnTracks, """{"_type":"location","lat":12.95,"lon":102.55,"tst":1778555045,"acc":8,"batt":64,"vel":36,"cog":90,"tid":"p1"}""");
        Assert.Equal(new DateTimeOffset(2026, 5, 12, 3, 4, 5, TimeSpan.Zero), d.Fix!.Ts);
        Assert.Equal(10.0, d.Fix.Spd!.Value, 9);
        Assert.Equal((64, 90.0), (d.Fix.Bat!.Value, d.Fix.Hdg!.Value));

        Assert.Equal(DecodedKind.Ignored, Decode(TopicKind.OwnTracks, """{"_type":"waypoint","desc":"home"}""").Kind);
        Assert.Equal(DecodedKind.Gone, Decode(TopicKind.OwnTracks, """{"_type":"lwt","tst":1778555045}""").Kind);
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.OwnTracks, """{"lat":12.95,"lon":102.55}""").Reason);
    }

    [Theory]
    [InlineData("cmac/v1/trk-1/position", TopicKind.Position, true)]
    [InlineData("cmac/v1/trk-1/status", TopicKind.Status, true)]
    [InlineData("cmac/v1/trk-1/detection", TopicKind.Detection, true)]
    [InlineData("cmac/v1/trk-1/ack", TopicKind.Ack, true)]
    [InlineData("cmac/v1/trk-2/position", TopicKind.Position, false)]
    [InlineData("cmac/v1/trk-1/cmd", TopicKind.Unknown, true)]
    [InlineData("cmac/v1/trk-1", TopicKind.Unknown, false)]
    [InlineData("owntracks/trk-1/phone", TopicKind.OwnTracks, true)]
    [InlineData("owntracks/someone/phone", TopicKind.OwnTracks, false)]
    [InlineData("owntracks/trk-1/phone/event", TopicKind.Unknown, false)]
    [InlineData("other/topic", TopicKind.Unknown, false)]
    public void Topics_parse_to_their_kind_and_owner(string topic, TopicKind kind, bool own)
    {
        var parsed = Topic.Parse(topic, "trk-1");
        Assert.Equal(kind, parsed.Kind);
        if (kind != TopicKind.Unknown)
        {
            Assert.Equal(own, parsed.IsOwn);
        }
    }

    [Theory]
    [InlineData("cmac/v1/trk-1/position", "trk-1")]
    [InlineData("cmac/v1/trk-1/detection", "trk-1")]
    [InlineData("owntracks/trk-2/phone", "trk-2")]
    [InlineData("cmac/v1//position", null)]
    [InlineData("cmac/v1/trk-1", null)]
    [InlineData("other/trk-1/position", null)]
    public void The_device_of_a_topic_is_the_id_it_names(string topic, string? device)
    {
        Assert.Equal(device, Topic.DeviceOf(topic));
    }

    [Theory]
    [InlineData("cmac/v1/trk-1/cmd", true)]
    [InlineData("owntracks/trk-1/phone/cmd", true)]
    [InlineData("cmac/v1/trk-2/cmd", false)]
    [InlineData("cmac/v1/+/cmd", false)]
    [InlineData("#", false)]
    [InlineData("owntracks/+/+", false)]
    public void Devices_may_subscribe_only_to_their_own_downlink(string filter, bool allowed) =>
        Assert.Equal(allowed, Topic.MaySubscribe(filter, "trk-1"));

    [Fact]
    public void A_find_names_its_detection_by_id_or_by_the_devices_own_detection_time()
    {
        var byId = Decode(TopicKind.Find, """{"ts":1778555045000,"detectionId":"trk-9-1778555000000","category":"submunition","model":"BLU-24/B","depthCm":15,"disposal":"destroyed-in-situ"}""");
        Assert.Equal(DecodedKind.Find, byId.Kind);
        Assert.Equal("trk-9-1778555000000", byId.Find!.DetectionId);
        Assert.Equal(FindCategory.Submunition, byId.Find.Find!.Category);
        Assert.Equal("BLU-24/B", byId.Find.Find.Model);
        Assert.Equal(Disposal.DestroyedInSitu, byId.Find.Find.Disposal);

        var byTs = Decode(TopicKind.Find, """{"ts":1778555045000,"detectionTs":"2026-05-12T03:03:20.123Z","category":"ap-mine","depthCm":8,"disposal":"removed"}""");
        Assert.Equal("trk-1-" + DateTimeOffset.Parse("2026-05-12T03:03:20.123Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), byTs.Find!.DetectionId);

        var clutter = Decode(TopicKind.Find, """{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"note":"nail"}""");
        Assert.Null(clutter.Find!.Find);
        Assert.Equal("nail", clutter.Find.Note);
    }

    [Theory]
    [InlineData("""{"detectionId":"d","category":"uxo","depthCm":1,"disposal":"removed"}""")]
    [InlineData("""{"ts":1778555045000,"category":"uxo","depthCm":1,"disposal":"removed"}""")]
    [InlineData("""{"ts":1778555045000,"detectionId":"d","category":"landmine","depthCm":1,"disposal":"removed"}""")]
    [InlineData("""{"ts":1778555045000,"detectionId":"d","category":"uxo","depthCm":-1,"disposal":"removed"}""")]
    [InlineData("""{"ts":1778555045000,"detectionId":"d","category":"uxo","depthCm":1}""")]
    [InlineData("""{"ts":1778555045000,"detectionId":"d","category":"uxo","disposal":"removed"}""")]
    public void A_find_without_its_detection_or_with_a_bad_detail_is_malformed(string json) =>
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Find, json).Reason);

    [Theory]
    [InlineData(TopicKind.Position, """{"ts":1778555045000,"lat":13.3,"lon":102.9,"lat":14.0}""", "lat")]
    [InlineData(TopicKind.Position, """{"ts":1778555045000,"lat":13.3,"lon":102.9,"l\u0061t":14.0}""", "lat")]
    [InlineData(TopicKind.Position, """{"ts":1778555045000,"ts":1778555046000,"lat":13.3,"lon":102.9}""", "ts")]
    [InlineData(TopicKind.Status, """{"ts":1778555045000,"state":"working","state":"sos"}""", "state")]
    [InlineData(TopicKind.OwnTracks, """{"_type":"location","_type":"lwt","lat":12.95,"lon":102.55,"tst":1778555045}""", "_type")]
    [InlineData(TopicKind.Ack, """{"ts":1778555045000,"requestId":"REQ-1","requestId":"REQ-2"}""", "requestId")]
    [InlineData(TopicKind.Find, """{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"note":"a","note":"b"}""", "note")]
    public void A_member_sent_twice_is_malformed_and_named(TopicKind kind, string json, string member)
    {
        var d = Decode(kind, json);
        Assert.Equal(DecodedKind.Rejected, d.Kind);
        Assert.Equal(RejectReason.Malformed, d.Reason);
        Assert.Contains(member, d.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_the_decoder_does_not_read_is_skipped_even_when_sent_twice()
    {
        // OwnTracks sends many members CmacLive never reads; they are skipped unread, so their repeats change nothing.
        var d = Decode(TopicKind.Position, """{"ts":1778555045000,"lat":13.3,"lon":102.9,"extra":1,"extra":2}""");
        Assert.NotEqual(DecodedKind.Rejected, d.Kind);
    }

    [Theory]
    [InlineData("""{"ts":1778555045000,"requestId":"REQ-1\n"}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"requestId":"../REQ-1"}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"requestId":".."}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"requestId":"REQ-\u0430"}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"requestId":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""", RejectReason.TooLarge)]
    public void An_ack_names_its_request_by_an_id(string json, RejectReason reason) =>
        Assert.Equal(reason, Decode(TopicKind.Ack, json).Reason);

    [Theory]
    [InlineData("""{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"note":"\u0000"}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"note":7}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"note":"\ud800"}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"detectionId":7,"clutter":true}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"detectionId":"trk/../9","clutter":true}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"detectionId":"trk-9-1","category":"uxo","model":"\u001b[2J","depthCm":1,"disposal":"removed"}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"detectionId":"trk-9-1","category":"uxo","depthCm":1e400,"disposal":"removed"}""", RejectReason.Malformed)]
    [InlineData("""{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"x":{"y":1,"y":2}}""", RejectReason.Malformed)]
    public void A_find_with_hostile_text_or_members_is_refused(string json, RejectReason reason) =>
        Assert.Equal(reason, Decode(TopicKind.Find, json).Reason);

    [Fact]
    public void A_find_note_or_detection_id_over_its_limit_is_too_large()
    {
        var note = new string('n', InputLimits.Note + 1);
        Assert.Equal(RejectReason.TooLarge, Decode(TopicKind.Find, $$"""{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"note":"{{note}}"}""").Reason);
        var id = new string('d', InputLimits.DetectionId + 1);
        Assert.Equal(RejectReason.TooLarge, Decode(TopicKind.Find, $$"""{"ts":1778555045000,"detectionId":"{{id}}","clutter":true}""").Reason);
        var model = new string('m', InputLimits.Short + 1);
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Find, $$"""{"ts":1778555045000,"detectionId":"trk-9-1","category":"uxo","model":"{{model}}","depthCm":1,"disposal":"removed"}""").Reason);
        Assert.Equal(DecodedKind.Find, Decode(TopicKind.Find, $$"""{"ts":1778555045000,"detectionId":"trk-9-1","clutter":true,"note":"{{note[1..]}}"}""").Kind);
    }

    [Theory]
    [InlineData("""{"ts":1778555045000,"lat":13.3,"lon":102.9,"x":[[[[[[[[[1]]]]]]]]]}""")]
    [InlineData("""{"ts":12345678901234567890,"lat":13.3,"lon":102.9}""")]
    [InlineData("""{"ts":1778555045000,"lat":13.3,"lon":102.9,"bat":"81"}""")]
    [InlineData("""{"ts":1778555045000,"lat":NaN,"lon":102.9}""")]
    [InlineData("""{"ts":1778555045000,"lat":Infinity,"lon":102.9}""")]
    public void Deep_nesting_wrong_types_and_non_json_numbers_are_malformed(string json) =>
        Assert.Equal(RejectReason.Malformed, Decode(TopicKind.Position, json).Reason);

    [Theory]
    [InlineData("""{"ts":1778555045000,"lat":13.3,"lon":102.9,"bat":12345678901234567890}""")]
    [InlineData("""{"ts":1778555045000,"lat":-1e400,"lon":102.9}""")]
    [InlineData("""{"_type":"location","lat":12.95,"lon":102.55,"tst":12345678901234567890}""")]
    public void Huge_numbers_are_out_of_range(string json)
    {
        var kind = json.Contains("_type", StringComparison.Ordinal) ? TopicKind.OwnTracks : TopicKind.Position;
        Assert.Equal(RejectReason.OutOfRange, Decode(kind, json).Reason);
    }
}
