using System.Globalization;
using CmacLive.Tracking;
using Microsoft.Extensions.Primitives;

namespace CmacLive.Ingestion.Phones;

/// <summary>
/// The OsmAnd protocol's parameters, from a query string or a form body (the Traccar Client app's own): <c>id</c> (or
/// <c>deviceid</c>), <c>key</c> (the device's secret, when the app cannot send HTTP Basic), <c>timestamp</c>, <c>lat</c> and
/// <c>lon</c> (or <c>location=lat,lon</c>), <c>speed</c> in knots, <c>bearing</c> (or <c>heading</c>), <c>altitude</c>,
/// <c>accuracy</c>, <c>batt</c> (percent), and <c>alarm=sos</c> (the app's SOS button), which is read even when the rest of
/// the report is not. Anything else the app sends (<c>charge</c>, <c>hdop</c>, another <c>alarm</c>, <c>battery_*</c>,
/// <c>valid</c>) has no place in the contract and is left out; a parameter sent twice is malformed.
/// </summary>
internal static class OsmandParameters
{
    /// <summary>The <c>alarm</c> value of Traccar Client's SOS button.</summary>
    public const string SosAlarm = "sos";

    /// <summary>Reads the parameters; <paramref name="now"/> stands for a missing <c>timestamp</c> (the time the request came).</summary>
    public static PhoneReport Read(IReadOnlyDictionary<string, StringValues> parameters, DateTimeOffset now)
    {
        var report = ReadReport(parameters, now, out var stamped, out var lat, out var lon);
        if (!parameters.TryGetValue("alarm", out var alarm) || alarm.Count != 1 || !string.Equals(alarm.ToString(), SosAlarm, StringComparison.OrdinalIgnoreCase))
        {
            return report;
        }

        var text = parameters.TryGetValue("timestamp", out var timestamp) && timestamp.Count == 1 ? timestamp.ToString() : null;
        return report with { Sos = PhoneSos.Of(stamped, text, now, lat, lon) };
    }

    /// <summary>The report, and the time (null: none, or unreadable) and position read before anything in it was found wrong.</summary>
    private static PhoneReport ReadReport(IReadOnlyDictionary<string, StringValues> parameters, DateTimeOffset now,
        out DateTimeOffset? stamped, out double? lat, out double? lon)
    {
        stamped = null;
        lat = lon = null;
        foreach (var (name, values) in parameters)
        {
            if (values.Count > 1)
            {
                return PhoneReport.Refused(RejectReason.Malformed, name, $"{name} is sent more than once");
            }
        }

        string? One(string name) => parameters.TryGetValue(name, out var v) ? v.ToString() : null;

        var id = One("id");
        var deviceId = One("deviceid");
        if (id is not null && deviceId is not null)
        {
            return PhoneReport.Refused(RejectReason.Malformed, "deviceid", "deviceid is sent with id (send one of them)");
        }

        var report = new PhoneReport { DeviceId = id ?? deviceId, Key = One("key") };
        var names = new Dictionary<string, string>(StringComparer.Ordinal) { ["ts"] = "timestamp", ["acc"] = "accuracy", ["alt"] = "altitude", ["spd"] = "speed", ["bat"] = "batt" };

        var timestamp = One("timestamp");
        var ts = now;
        if (timestamp is not null && !OsmandTime.TryParse(timestamp, out ts))
        {
            return report with { Problem = new(RejectReason.Malformed, "timestamp", "timestamp must be Unix seconds or milliseconds, or an ISO-8601 time") };
        }

        stamped = timestamp is null ? null : ts;

        if (One("location") is { } location)
        {
            if (One("lat") is not null || One("lon") is not null)
            {
                return report with { Problem = new(RejectReason.Malformed, "location", "location is sent with lat or lon (send one of them)") };
            }

            var parts = location.Split(',');
            if (parts.Length != 2 || Number(parts[0]) is not { } a || Number(parts[1]) is not { } b)
            {
                return report with { Problem = new(RejectReason.Malformed, "location", "location must be two numbers, lat,lon") };
            }

            (lat, lon) = (a, b);
            names["lat"] = names["lon"] = "location";
        }
        else
        {
            var latProblem = Read(One("lat"), "lat", out lat);
            var lonProblem = Read(One("lon"), "lon", out lon);
            if ((latProblem ?? lonProblem) is { } p)
            {
                return report with { Problem = p };
            }

            if (lat is null && lon is null)
            {
                return report; // no position at all: the app's heartbeat
            }

            if (lat is null || lon is null)
            {
                var missing = lat is null ? "lat" : "lon";
                return report with { Problem = new(RejectReason.Malformed, missing, $"{missing} is missing (lat and lon go together)") };
            }
        }

        var bearing = One("bearing");
        var heading = One("heading");
        if (bearing is not null && heading is not null)
        {
            return report with { Problem = new(RejectReason.Malformed, "heading", "heading is sent with bearing (send one of them)") };
        }

        names["hdg"] = heading is null ? "bearing" : "heading";
        PhoneProblem?[] optional =
        [
            Read(One("accuracy"), "accuracy", out var acc),
            Read(One("altitude"), "altitude", out var alt),
            Read(One("speed"), "speed", out var knots),
            Read(bearing ?? heading, names["hdg"], out var hdg),
            Read(One("batt"), "batt", out var batt),
        ];
        if (optional.FirstOrDefault(o => o is not null) is { } bad)
        {
            return report with { Problem = bad };
        }

        return report with
        {
            Payload = PositionPayload.Write(ts, lat.Value, lon.Value, acc, alt, knots * PositionPayload.KnotsToMs, hdg, batt),
            Names = names,
        };
    }

    private static PhoneProblem? Read(string? text, string name, out double? value)
    {
        value = null;
        if (text is null)
        {
            return null;
        }

        value = Number(text);
        return value is null ? new PhoneProblem(RejectReason.Malformed, name, $"{name} must be a number") : null;
    }

    /// <summary>A finite decimal number as the app writes it (<c>13.3633</c>, <c>-1.5E-4</c>), or null.</summary>
    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
}
