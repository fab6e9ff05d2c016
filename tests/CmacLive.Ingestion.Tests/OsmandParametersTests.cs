using System.Buffers;
using CmacLive.Ingestion.Phones;
using CmacLive.Tracking;
using Microsoft.AspNetCore.WebUtilities;

namespace CmacLive.Ingestion.Tests;

public sealed class OsmandParametersTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 12, 3, 10, 0, TimeSpan.Zero);

    private static PhoneReport Read(string query) => OsmandParameters.Read(QueryHelpers.ParseQuery(query), Now);

    /// <summary>The report's payload as the MQTT path decodes it: what the phone's fix becomes.</summary>
    private static Decoded Decode(PhoneReport report) =>
        PayloadDecoder.Decode(TopicKind.Position, "phone-1", new ReadOnlySequence<byte>(report.Payload!), Now);

    [Fact]
    public void The_apps_form_becomes_the_contracts_fix_with_knots_converted()
    {
        var report = Read("id=phone-1&lat=13.3633&lon=102.9876&timestamp=1778555045&accuracy=4.5&altitude=12.0&speed=9.72&bearing=270.0&batt=81&charge=false&key=s3cret");

        Assert.Equal(("phone-1", "s3cret"), (report.DeviceId, report.Key));
        Assert.Null(report.Problem);
        var fix = Decode(report).Fix!;
        Assert.Equal(new DateTimeOffset(2026, 5, 12, 3, 4, 5, TimeSpan.Zero), fix.Ts);
        Assert.Equal((13.3633, 102.9876, 4.5, 12.0, 270.0, 81), (fix.Lat, fix.Lon, fix.Acc!.Value, fix.Alt!.Value, fix.Hdg!.Value, fix.Bat!.Value));
        Assert.Equal(9.72 * 0.514444, fix.Spd!.Value, 4);
    }

    [Fact]
    public void The_sos_button_is_read_with_the_reports_time_and_position()
    {
        var report = Read("id=phone-1&lat=13.3633&lon=102.9876&timestamp=1778555045&alarm=sos&key=s3cret");
        Assert.Null(report.Problem);
        Assert.NotNull(report.Payload); // the fix goes on as any other
        Assert.Equal(new PhoneSos(new DateTimeOffset(2026, 5, 12, 3, 4, 5, TimeSpan.Zero), "1778555045000", 13.3633, 102.9876), report.Sos);
    }

    [Fact]
    public void An_sos_without_a_time_is_dated_when_it_came_and_keyed_by_its_minute_so_a_resend_that_minute_is_the_same()
    {
        var sos = Read("id=phone-1&alarm=SOS").Sos!; // no position, no time: a heartbeat's SOS
        Assert.Equal((Now, (double?)null, (double?)null), (sos.At, sos.Lat, sos.Lon));
        var minute = new DateTimeOffset(2026, 5, 12, 3, 10, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal($"m{minute}", sos.Key);
        Assert.Equal(sos.Key, OsmandParameters.Read(QueryHelpers.ParseQuery("id=phone-1&alarm=sos"), Now.AddSeconds(59)).Sos!.Key);
        Assert.NotEqual(sos.Key, OsmandParameters.Read(QueryHelpers.ParseQuery("id=phone-1&alarm=sos"), Now.AddSeconds(60)).Sos!.Key);
    }

    [Theory]
    [InlineData("id=p&lat=13&lon=103&timestamp=yesterday&alarm=sos", "timestamp")] // keyed by the time as sent: a resend is the same alert
    [InlineData("id=p&lat=13&timestamp=1778555045&alarm=sos", "lon")]
    [InlineData("id=p&lat=13&lon=103&speed=fast&timestamp=1778555045&alarm=sos", "speed")]
    public void An_sos_is_read_even_from_a_report_that_is_refused(string query, string field)
    {
        var report = Read(query);
        Assert.Equal(field, report.Problem!.Value.Field);
        Assert.NotNull(report.Sos);
        Assert.Equal(report.Sos.Key, OsmandParameters.Read(QueryHelpers.ParseQuery(query), Now.AddMinutes(5)).Sos!.Key);
    }

    [Fact]
    public void An_sos_far_off_the_earth_or_at_0_0_has_no_position_and_another_alarm_is_no_sos()
    {
        var sos = Read("id=p&lat=95&lon=103&alarm=sos").Sos!;
        Assert.Equal(((double?)null, (double?)null), (sos.Lat, sos.Lon));
        var noFix = Read("id=p&lat=0&lon=0&alarm=sos").Sos!; // a phone without a satellite fix
        Assert.Equal(((double?)null, (double?)null), (noFix.Lat, noFix.Lon));
        Assert.Null(Read("id=p&lat=13&lon=103&alarm=lowBattery").Sos);
        Assert.Null(Read("id=p&lat=13&lon=103").Sos);
    }

    [Theory]
    [InlineData("1778555045")] // seconds, as the apps send it
    [InlineData("1778555045000")] // milliseconds
    [InlineData("2026-05-12T03:04:05Z")]
    [InlineData("2026-05-12T10:04:05.000%2B07:00")]
    [InlineData("2026-05-12T03:04:05")] // no offset: UTC
    [InlineData("2026-05-12%2003:04:05")] // Traccar's yyyy-MM-dd HH:mm:ss, read as UTC
    public void Timestamp_is_seconds_milliseconds_or_ISO_8601(string timestamp)
    {
        var fix = Decode(Read($"id=p&lat=13&lon=103&timestamp={timestamp}")).Fix!;
        Assert.Equal(new DateTimeOffset(2026, 5, 12, 3, 4, 5, TimeSpan.Zero), fix.Ts);
    }

    [Fact]
    public void Without_a_timestamp_the_fix_is_dated_when_it_came()
    {
        Assert.Equal(Now, Decode(Read("id=p&lat=13&lon=103")).Fix!.Ts);
    }

    [Fact]
    public void Location_heading_and_deviceid_are_the_protocols_other_names()
    {
        var report = Read("deviceid=p&location=13.5,103.5&heading=90&timestamp=1778555045");
        Assert.Equal("p", report.DeviceId);
        var fix = Decode(report).Fix!;
        Assert.Equal((13.5, 103.5, 90.0), (fix.Lat, fix.Lon, fix.Hdg!.Value));
        Assert.Equal(("location", "heading"), (report.NameOf("lat"), report.NameOf("hdg")));
    }

    [Fact]
    public void Without_lat_and_lon_the_report_is_a_heartbeat_with_nothing_to_store()
    {
        var report = Read("id=p&timestamp=1778555045&batt=50&charge=true");
        Assert.Equal((null, null), (report.Payload, report.Problem));
        Assert.Equal("p", report.DeviceId);
    }

    [Theory]
    [InlineData("id=p&lon=103&timestamp=1778555045", "lat", RejectReason.Malformed)]
    [InlineData("id=p&lat=13&timestamp=1778555045", "lon", RejectReason.Malformed)]
    [InlineData("id=p&lat=13&lon=abc", "lon", RejectReason.Malformed)]
    [InlineData("id=p&lat=NaN&lon=103", "lat", RejectReason.Malformed)]
    [InlineData("id=p&lat=13&lon=103&lat=14", "lat", RejectReason.Malformed)]
    [InlineData("id=p&deviceid=q&lat=13&lon=103", "deviceid", RejectReason.Malformed)]
    [InlineData("id=p&lat=13&lon=103&timestamp=yesterday", "timestamp", RejectReason.Malformed)]
    [InlineData("id=p&lat=13&lon=103&timestamp=99999999999999999999", "timestamp", RejectReason.Malformed)]
    [InlineData("id=p&location=13&timestamp=1778555045", "location", RejectReason.Malformed)]
    [InlineData("id=p&location=13,103&lat=13", "location", RejectReason.Malformed)]
    [InlineData("id=p&lat=13&lon=103&speed=fast", "speed", RejectReason.Malformed)]
    [InlineData("id=p&lat=13&lon=103&bearing=1&heading=2", "heading", RejectReason.Malformed)]
    public void A_bad_parameter_is_refused_naming_it(string query, string field, RejectReason reason)
    {
        var report = Read(query);
        Assert.Equal((reason, field), (report.Problem!.Value.Reason, report.Problem.Value.Field));
        Assert.StartsWith(field, report.Problem.Value.Message, StringComparison.Ordinal);
        Assert.Null(report.Payload);
    }

    [Theory]
    [InlineData("lat=91&lon=103", "lat", "lat", RejectReason.OutOfRange)]
    [InlineData("lat=13&lon=-181", "lon", "lon", RejectReason.OutOfRange)]
    [InlineData("lat=0&lon=0", "lat", "lat", RejectReason.NoFix)]
    [InlineData("lat=13&lon=103&speed=-1", "spd", "speed", RejectReason.OutOfRange)]
    [InlineData("lat=13&lon=103&speed=1000", "spd", "speed", RejectReason.OutOfRange)]
    [InlineData("lat=13&lon=103&bearing=400", "hdg", "bearing", RejectReason.OutOfRange)]
    [InlineData("lat=13&lon=103&accuracy=-2", "acc", "accuracy", RejectReason.OutOfRange)]
    [InlineData("lat=13&lon=103&altitude=20000", "alt", "altitude", RejectReason.OutOfRange)]
    [InlineData("lat=13&lon=103&batt=101", "bat", "batt", RejectReason.OutOfRange)]
    [InlineData("lat=13&lon=103&timestamp=1778559000", "ts", "timestamp", RejectReason.FutureTime)]
    [InlineData("lat=13&lon=103&timestamp=0", "ts", "timestamp", RejectReason.AncientTime)]
    public void Out_of_range_values_are_refused_by_the_contracts_rules_named_as_the_app_sent_them(string query, string member, string name, RejectReason reason)
    {
        var report = Read("id=p&" + query);
        var decoded = Decode(report);
        Assert.Equal((DecodedKind.Rejected, reason, member), (decoded.Kind, decoded.Reason, decoded.Field));
        Assert.StartsWith(member + " ", decoded.Detail, StringComparison.Ordinal);
        Assert.Equal(name, report.NameOf(decoded.Field));
    }
}
