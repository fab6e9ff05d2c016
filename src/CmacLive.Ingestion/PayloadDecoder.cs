using System.Buffers;
using CmacLive.Assets;
using CmacLive.Devices;
using CmacLive.Tracking;
using CmacLive.Validation;

namespace CmacLive.Ingestion;

/// <summary>Turns an uplink payload into a validated report, or into the reason it is refused. Pure.</summary>
public static class PayloadDecoder
{
    /// <summary>OwnTracks reports speed in km/h; the contract's <c>spd</c> is metres per second.</summary>
    private const double KmhToMs = 1000d / 3600d;

    public static Decoded Decode(TopicKind kind, string deviceId, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        if (payload.Length > FieldRules.MaxPayloadBytes)
        {
            return Decoded.Reject(RejectReason.TooLarge, $"payload of {payload.Length} bytes is over {FieldRules.MaxPayloadBytes}");
        }

        if (payload.IsEmpty)
        {
            return Decoded.Reject(RejectReason.Malformed, "payload is empty");
        }

        var problem = PayloadFields.TryRead(payload, out var f);
        if (problem is not null)
        {
            return Decoded.Reject(RejectReason.Malformed, problem);
        }

        return kind switch
        {
            TopicKind.Position => Position(deviceId, f, now),
            TopicKind.Status => Status(deviceId, f, now),
            TopicKind.Detection => Detection(deviceId, f, now),
            TopicKind.OwnTracks => OwnTracks(deviceId, f, now),
            TopicKind.Find => FindDecoder.Decode(deviceId, payload, now),
            TopicKind.Ack => Ack(deviceId, f, now),
            _ => Decoded.Reject(RejectReason.UnknownTopic, "no such topic"),
        };
    }

    private static Decoded Ack(string deviceId, in PayloadFields f, DateTimeOffset now)
    {
        if (f.Ts is not { } ts || string.IsNullOrWhiteSpace(f.RequestId))
        {
            return Decoded.Reject(RejectReason.Malformed, "ack needs ts and requestId");
        }

        if (f.RequestId.Length > InputLimits.Id)
        {
            return Decoded.Reject(RejectReason.TooLarge, $"requestId is longer than {InputLimits.Id} characters");
        }

        if (!DeviceIds.IsValid(f.RequestId))
        {
            return Decoded.Reject(RejectReason.Malformed, "requestId " + DeviceIds.Rule);
        }

        if (FieldRules.CheckTime(ts, now) is { } problem)
        {
            return Decoded.Reject(problem, "ts", $"ts is {Describe(problem)}");
        }

        return new Decoded(DecodedKind.Ack, Ack: new AckReport { DeviceId = deviceId, Ts = FieldRules.ToMilliseconds(ts), RequestId = f.RequestId });
    }

    private static Decoded Position(string deviceId, in PayloadFields f, DateTimeOffset now)
    {
        if (f.Ts is not { } ts || f.Lat is not { } lat || f.Lon is not { } lon)
        {
            return Decoded.Reject(RejectReason.Malformed, "position needs ts, lat and lon");
        }

        return Fix(deviceId, CmacNames, ts, lat, lon, f.Acc, f.Alt, f.Spd, f.Hdg, f.Bat, now);
    }

    private static Decoded OwnTracks(string deviceId, in PayloadFields f, DateTimeOffset now)
    {
        switch (f.OwnTracksType)
        {
            case null:
                return Decoded.Reject(RejectReason.Malformed, "OwnTracks message without _type");
            case "lwt":
                return Decoded.Gone;
            case not "location":
                return Decoded.Ignored;
        }

        if (f.Tst is not { } tst || f.Lat is not { } lat || f.Lon is not { } lon)
        {
            return Decoded.Reject(RejectReason.Malformed, "OwnTracks location needs tst, lat and lon");
        }

        if (!double.IsFinite(tst) || tst is < 0 or > 253_402_300_799d)
        {
            return Decoded.Reject(RejectReason.OutOfRange, "tst is not a Unix time in seconds");
        }

        var ts = DateTimeOffset.FromUnixTimeSeconds((long)tst);
        return Fix(deviceId, OwnTracksNames, ts, lat, lon, f.Acc, f.Alt, f.Vel * KmhToMs, f.Cog, f.Batt, now);
    }

    /// <summary>What a fix's members are called in the payload: a refusal names the one at fault as its sender wrote it.</summary>
    private sealed record FixNames(string Ts, string Lat, string Lon, string Acc, string Alt, string Spd, string Hdg, string Bat);

    private static readonly FixNames CmacNames = new("ts", "lat", "lon", "acc", "alt", "spd", "hdg", "bat");

    private static readonly FixNames OwnTracksNames = new("tst", "lat", "lon", "acc", "alt", "vel", "cog", "batt");

    private static Decoded Fix(string deviceId, FixNames names, DateTimeOffset ts, double lat, double lon,
        double? acc, double? alt, double? spd, double? hdg, double? bat, DateTimeOffset now)
    {
        var battery = Battery(bat);
        if (FixProblem(names, ts, lat, lon, acc, alt, spd, hdg, battery.Bad, now) is { } problem)
        {
            return problem;
        }

        return new Decoded(DecodedKind.Fix, Fix: new FixReport
        {
            DeviceId = deviceId,
            Ts = FieldRules.ToMilliseconds(ts),
            Lat = lat,
            Lon = lon,
            Acc = acc,
            Alt = alt,
            Spd = spd,
            Hdg = hdg is 360 ? 0 : hdg,
            Bat = battery.Value,
        });
    }

    /// <summary>The first member of a fix that breaks a rule of <see cref="FieldRules"/>, named as the payload names it; null when none does.</summary>
    private static Decoded? FixProblem(FixNames n, DateTimeOffset ts, double lat, double lon,
        double? acc, double? alt, double? spd, double? hdg, bool badBattery, DateTimeOffset now)
    {
        if (!FieldRules.IsLatitude(lat))
        {
            return Decoded.Reject(RejectReason.OutOfRange, n.Lat, $"{n.Lat} must be a latitude from -90 to 90");
        }

        if (!FieldRules.IsLongitude(lon))
        {
            return Decoded.Reject(RejectReason.OutOfRange, n.Lon, $"{n.Lon} must be a longitude from -180 to 180");
        }

        if (FieldRules.CheckPoint(lat, lon) is { } point)
        {
            return Decoded.Reject(point, n.Lat, $"{n.Lat} and {n.Lon} are {Describe(point)}");
        }

        if (FieldRules.CheckTime(ts, now) is { } time)
        {
            return Decoded.Reject(time, n.Ts, $"{n.Ts} is {Describe(time)}");
        }

        return FieldRules.CheckOptional(acc, null, null, null, null) is not null ? Decoded.Reject(RejectReason.OutOfRange, n.Acc, $"{n.Acc} must be 0 metres or more")
            : FieldRules.CheckOptional(null, alt, null, null, null) is not null ? Decoded.Reject(RejectReason.OutOfRange, n.Alt, $"{n.Alt} must be from -1000 to 10000 metres")
            : FieldRules.CheckOptional(null, null, spd, null, null) is not null ? Decoded.Reject(RejectReason.OutOfRange, n.Spd, $"{n.Spd} must be from 0 to 400 m/s")
            : FieldRules.CheckOptional(null, null, null, hdg, null) is not null ? Decoded.Reject(RejectReason.OutOfRange, n.Hdg, $"{n.Hdg} must be from 0 to 360 degrees")
            : badBattery ? Decoded.Reject(RejectReason.OutOfRange, n.Bat, $"{n.Bat} must be a percentage from 0 to 100")
            : null;
    }

    private static Decoded Status(string deviceId, in PayloadFields f, DateTimeOffset now)
    {
        if (f.Offline)
        {
            // A last will is written when the device connects, so it carries no useful time: offline at once, as when the
            // embedded broker sees the connection drop. Its next message brings it back.
            return Decoded.Gone;
        }

        if (f.Ts is not { } ts || f.State is not { } state)
        {
            return Decoded.Reject(RejectReason.Malformed, "status needs ts and state");
        }

        var battery = Battery(f.Bat);
        if (FieldRules.CheckTime(ts, now) is { } time)
        {
            return Decoded.Reject(time, "ts", $"ts is {Describe(time)}");
        }

        if (battery.Bad)
        {
            return Decoded.Reject(RejectReason.OutOfRange, "bat", "bat must be a percentage from 0 to 100");
        }

        return new Decoded(DecodedKind.Status, Status: new StatusReport
        {
            DeviceId = deviceId,
            Ts = FieldRules.ToMilliseconds(ts),
            State = state,
            Bat = battery.Value,
        });
    }

    private static Decoded Detection(string deviceId, in PayloadFields f, DateTimeOffset now)
    {
        if (f.Ts is not { } ts || f.Lat is not { } lat || f.Lon is not { } lon || f.Sensor is not { } sensor)
        {
            return Decoded.Reject(RejectReason.Malformed, "detection needs ts, lat, lon and sensor");
        }

        var reason = FieldRules.CheckPoint(lat, lon) ?? FieldRules.CheckTime(ts, now);
        if (reason is null && (f.Strength is { } s && (!double.IsFinite(s) || s < 0)
            || f.DepthCm is { } d && (!double.IsFinite(d) || d is < 0 or > 1000)))
        {
            reason = RejectReason.OutOfRange;
        }

        if (reason is { } r)
        {
            return Decoded.Reject(r, r is RejectReason.FutureTime or RejectReason.AncientTime ? $"ts is {Describe(r)}" : Describe(r));
        }

        return new Decoded(DecodedKind.Detection, Detection: new DetectionReport
        {
            DeviceId = deviceId,
            Ts = FieldRules.ToMilliseconds(ts),
            Lat = lat,
            Lon = lon,
            Sensor = sensor,
            Strength = f.Strength,
            DepthCm = f.DepthCm,
        });
    }

    /// <summary>A battery level must be a whole percentage.</summary>
    private static (int? Value, bool Bad) Battery(double? bat) => bat switch
    {
        null => (null, false),
        { } b when double.IsFinite(b) && b is >= 0 and <= 100 => ((int)Math.Round(b), false),
        _ => (null, true),
    };

    private static string Describe(RejectReason reason) => reason switch
    {
        RejectReason.OutOfRange => "a value is outside its range or not finite",
        RejectReason.NoFix => "position 0,0 (no satellite fix)",
        RejectReason.FutureTime => "more than 5 minutes in the future",
        RejectReason.AncientTime => "before the year 2000 (no time fix)",
        _ => reason.ToString(),
    };
}
