using System.Text.Json;
using CmacLive.Tracking;
using CmacLive.Validation;

namespace CmacLive.Ingestion.Phones;

/// <summary>
/// The OsmAnd protocol's JSON body (Traccar Client 9, whose background-location library posts one location at a time):
/// <c>{"location": {"timestamp": ISO-8601, "coords": {"latitude", "longitude", "accuracy", "speed" (m/s), "heading",
/// "altitude"}, "battery": {"level" (0–1), "is_charging"}, …}, "device_id": "…"}</c>. A negative speed, heading, accuracy or
/// battery level means unknown and is left out; a location without <c>coords</c> has no position (answered as a heartbeat).
/// The SOS button's <c>"alarm": "sos"</c> is read in <c>location.extras</c> (where the app puts it) or in <c>location</c>,
/// even when the rest of the report is refused. Members the contract has no place for (<c>is_moving</c>, <c>odometer</c>,
/// <c>event</c>, <c>activity</c>, the rest of <c>extras</c>) are skipped; a member sent twice anywhere is malformed.
/// </summary>
internal static class OsmandJson
{
    private const string Location = "location";
    private const string Coords = "location.coords";

    /// <summary>Reads the body; <paramref name="now"/> is when the request came (an SOS without a readable time is dated so).</summary>
    public static PhoneReport Read(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = InputLimits.PayloadJsonDepth });
        }
        catch (JsonException ex)
        {
            return PhoneReport.Refused(RejectReason.Malformed, "body", $"body is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return PhoneReport.Refused(RejectReason.Malformed, "body", "body must be a JSON object");
            }

            if (JsonBodyCheck.Find(root) is { } problem)
            {
                return PhoneReport.Refused(RejectReason.Malformed, problem.Path, $"{problem.Path} {problem.Message}");
            }

            var report = new PhoneReport
            {
                DeviceId = root.TryGetProperty("device_id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number ? id.ToString() : null,
            };
            if (!root.TryGetProperty(Location, out var location) || location.ValueKind != JsonValueKind.Object)
            {
                return report with { Problem = new(RejectReason.Malformed, Location, "location must be an object (one location a request)") };
            }

            if (IsSos(location))
            {
                report = report with { Sos = SosOf(location, now) };
            }

            if (!location.TryGetProperty("timestamp", out var stamp) || stamp.ValueKind != JsonValueKind.String
                || !OsmandTime.TryParse(stamp.GetString()!, out var ts))
            {
                return report with { Problem = new(RejectReason.Malformed, "location.timestamp", "location.timestamp must be an ISO-8601 time") };
            }

            if (!location.TryGetProperty("coords", out var coords))
            {
                return report; // no position: a heartbeat
            }

            if (coords.ValueKind != JsonValueKind.Object)
            {
                return report with { Problem = new(RejectReason.Malformed, Coords, "location.coords must be an object") };
            }

            PhoneProblem?[] read =
            [
                Number(coords, Coords, "latitude", required: true, out var lat),
                Number(coords, Coords, "longitude", required: true, out var lon),
                Number(coords, Coords, "accuracy", required: false, out var acc),
                Number(coords, Coords, "altitude", required: false, out var alt),
                Number(coords, Coords, "speed", required: false, out var spd),
                Number(coords, Coords, "heading", required: false, out var hdg),
                Battery(location, out var level),
            ];
            if (read.FirstOrDefault(p => p is not null) is { } bad)
            {
                return report with { Problem = bad };
            }

            return report with
            {
                Payload = PositionPayload.Write(ts, lat!.Value, lon!.Value, Known(acc), alt, Known(spd), Known(hdg), Known(level) * 100),
                Names = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["ts"] = "location.timestamp", ["lat"] = $"{Coords}.latitude", ["lon"] = $"{Coords}.longitude", ["acc"] = $"{Coords}.accuracy",
                    ["alt"] = $"{Coords}.altitude", ["spd"] = $"{Coords}.speed", ["hdg"] = $"{Coords}.heading", ["bat"] = "location.battery.level",
                },
            };
        }
    }

    /// <summary>The SOS button: <c>"alarm": "sos"</c> (any case) in <c>location.extras</c> or in <c>location</c>.</summary>
    private static bool IsSos(JsonElement location)
    {
        static bool Alarm(JsonElement holder) => holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty("alarm", out var alarm)
            && alarm.ValueKind == JsonValueKind.String && string.Equals(alarm.GetString(), OsmandParameters.SosAlarm, StringComparison.OrdinalIgnoreCase);

        return Alarm(location) || (location.TryGetProperty("extras", out var extras) && Alarm(extras));
    }

    /// <summary>The SOS's time and position, as far as they can be read.</summary>
    private static PhoneSos SosOf(JsonElement location, DateTimeOffset now)
    {
        string? text = location.TryGetProperty("timestamp", out var stamp) && stamp.ValueKind == JsonValueKind.String ? stamp.GetString() : null;
        DateTimeOffset? stamped = text is not null && OsmandTime.TryParse(text, out var ts) ? ts : null;
        double? lat = null, lon = null;
        if (location.TryGetProperty("coords", out var coords) && coords.ValueKind == JsonValueKind.Object)
        {
            Number(coords, Coords, "latitude", required: false, out lat);
            Number(coords, Coords, "longitude", required: false, out lon);
        }

        return PhoneSos.Of(stamped, text, now, lat, lon);
    }

    /// <summary>The library writes -1 for a value it does not know.</summary>
    private static double? Known(double? value) => value is < 0 ? null : value;

    private static PhoneProblem? Battery(JsonElement location, out double? level)
    {
        level = null;
        if (!location.TryGetProperty("battery", out var battery) || battery.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return battery.ValueKind == JsonValueKind.Object
            ? Number(battery, "location.battery", "level", required: false, out level)
            : new PhoneProblem(RejectReason.Malformed, "location.battery", "location.battery must be an object");
    }

    private static PhoneProblem? Number(JsonElement parent, string path, string name, bool required, out double? value)
    {
        value = null;
        var field = $"{path}.{name}";
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return required ? new PhoneProblem(RejectReason.Malformed, field, $"{field} is missing") : null;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number) && double.IsFinite(number))
        {
            value = number;
            return null;
        }

        return new PhoneProblem(RejectReason.Malformed, field, $"{field} must be a number");
    }
}
