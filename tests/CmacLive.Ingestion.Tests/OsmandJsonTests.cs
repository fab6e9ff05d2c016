using System.Buffers;
using System.Text;
using CmacLive.Ingestion.Phones;
using CmacLive.Tracking;

namespace CmacLive.Ingestion.Tests;

public sealed class OsmandJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 12, 3, 10, 0, TimeSpan.Zero);

    private static PhoneReport Read(string json) => OsmandJson.Read(Encoding.UTF8.GetBytes(json), Now);

    private static Decoded Decode(PhoneReport report) =>
        PayloadDecoder.Decode(TopicKind.Position, "phone-1", new ReadOnlySequence<byte>(report.Payload!), Now);

    /// <summary>Traccar Client 9's location template, as its background-location library fills it.</summary>
    private static string Template(string coords, string battery = """{"level":0.64,"is_charging":false}""") =>
        $$"""{"location":{"timestamp":"2026-05-12T03:04:05.678Z","coords":{{coords}},"is_moving":true,"odometer":12.5,"event":"motionchange","battery":{{battery}},"activity":{"type":"still"},"extras":{},"_":"&id=phone-1&lat=13.1&lon=103.2&timestamp=2026-05-12T03:04:05.678Z&"},"device_id":"phone-1"}""";

    [Fact]
    public void The_template_becomes_the_contracts_fix_speed_kept_in_metres_a_second_and_battery_in_percent()
    {
        var report = Read(Template("""{"latitude":13.1,"longitude":103.2,"accuracy":5,"speed":2.5,"heading":45,"altitude":30}"""));

        Assert.Equal("phone-1", report.DeviceId);
        var fix = Decode(report).Fix!;
        Assert.Equal(new DateTimeOffset(2026, 5, 12, 3, 4, 5, 678, TimeSpan.Zero), fix.Ts);
        Assert.Equal((13.1, 103.2, 5.0, 2.5, 45.0, 30.0, 64), (fix.Lat, fix.Lon, fix.Acc!.Value, fix.Spd!.Value, fix.Hdg!.Value, fix.Alt!.Value, fix.Bat!.Value));
    }

    [Fact]
    public void Minus_one_means_unknown_and_is_left_out()
    {
        var fix = Decode(Read(Template("""{"latitude":13.1,"longitude":103.2,"accuracy":-1,"speed":-1,"heading":-1,"altitude":0}""", """{"level":-1,"is_charging":false}"""))).Fix!;
        Assert.Equal((null, null, null, null), (fix.Acc, fix.Spd, fix.Hdg, fix.Bat));
    }

    [Fact]
    public void A_location_without_coords_is_a_heartbeat()
    {
        var report = Read("""{"location":{"timestamp":"2026-05-12T03:04:05Z","extras":{"heartbeat":true}},"device_id":"phone-1"}""");
        Assert.Equal((null, null, "phone-1"), (report.Payload, report.Problem, report.DeviceId));
    }

    [Theory]
    [InlineData("not json", "body")]
    [InlineData("[1,2]", "body")]
    [InlineData("""{"location":[],"device_id":"p"}""", "location")]
    [InlineData("""{"location":{"coords":{"latitude":1,"longitude":2}},"device_id":"p"}""", "location.timestamp")]
    [InlineData("""{"location":{"timestamp":"soon","coords":{"latitude":1,"longitude":2}},"device_id":"p"}""", "location.timestamp")]
    [InlineData("""{"location":{"timestamp":"2026-05-12T03:04:05Z","coords":{"longitude":2}},"device_id":"p"}""", "location.coords.latitude")]
    [InlineData("""{"location":{"timestamp":"2026-05-12T03:04:05Z","coords":{"latitude":"1","longitude":2}},"device_id":"p"}""", "location.coords.latitude")]
    [InlineData("""{"location":{"timestamp":"2026-05-12T03:04:05Z","coords":{"latitude":1,"latitude":3,"longitude":2}},"device_id":"p"}""", "location.coords.latitude")]
    [InlineData("""{"location":{"timestamp":"2026-05-12T03:04:05Z","coords":{"latitude":1,"longitude":2},"battery":{"level":"full"}},"device_id":"p"}""", "location.battery.level")]
    public void A_malformed_body_is_refused_naming_the_member(string json, string field)
    {
        var problem = Read(json).Problem!.Value;
        Assert.Equal((RejectReason.Malformed, field), (problem.Reason, problem.Field));
    }

    [Fact]
    public void An_out_of_range_value_is_named_by_its_path_in_the_template()
    {
        var report = Read(Template("""{"latitude":13.1,"longitude":203.2}"""));
        var decoded = Decode(report);
        Assert.Equal((RejectReason.OutOfRange, "location.coords.longitude"), (decoded.Reason, report.NameOf(decoded.Field)));
    }

    [Fact]
    public void The_sos_button_in_extras_or_in_the_location_is_read_with_the_reports_time_and_position()
    {
        var inExtras = Read(Template("""{"latitude":13.1,"longitude":103.2,"accuracy":5}""").Replace("\"extras\":{}", "\"extras\":{\"alarm\":\"sos\"}", StringComparison.Ordinal));
        Assert.Null(inExtras.Problem);
        Assert.NotNull(inExtras.Payload); // the fix goes on as any other
        var at = new DateTimeOffset(2026, 5, 12, 3, 4, 5, 678, TimeSpan.Zero);
        Assert.Equal(new PhoneSos(at, at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), 13.1, 103.2), inExtras.Sos);

        var inLocation = Read("""{"location":{"timestamp":"2026-05-12T03:04:05.678Z","alarm":"SOS"},"device_id":"phone-1"}""");
        Assert.Null(inLocation.Payload); // no position: a heartbeat, with its SOS
        Assert.Equal(new PhoneSos(at, inExtras.Sos!.Key, null, null), inLocation.Sos);

        Assert.Null(Read(Template("""{"latitude":13.1,"longitude":103.2}""")).Sos);
        Assert.Null(Read("""{"location":{"timestamp":"2026-05-12T03:04:05.678Z","extras":{"alarm":"fall"}},"device_id":"phone-1"}""").Sos);
    }

    [Fact]
    public void An_sos_beside_an_unreadable_time_is_read_and_keyed_by_the_time_as_sent_so_a_resend_is_the_same()
    {
        const string Body = """{"location":{"timestamp":"yesterday","coords":{"latitude":13.1,"longitude":103.2},"extras":{"alarm":"sos"}},"device_id":"phone-1"}""";
        var first = OsmandJson.Read(Encoding.UTF8.GetBytes(Body), Now);
        var again = OsmandJson.Read(Encoding.UTF8.GetBytes(Body), Now.AddMinutes(7));
        Assert.Equal("location.timestamp", first.Problem!.Value.Field);
        Assert.Equal((Now, 13.1, 103.2), (first.Sos!.At, first.Sos.Lat!.Value, first.Sos.Lon!.Value));
        Assert.Equal(first.Sos.Key, again.Sos!.Key);
        Assert.StartsWith("t", first.Sos.Key, StringComparison.Ordinal);
    }
}
