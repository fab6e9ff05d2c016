namespace CmacLive.Tracking;

/// <summary>The rules every report from the field must pass before it may touch live state.</summary>
public static class FieldRules
{
    /// <summary>A device clock may run at most this far ahead of the server's.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Earlier times come from devices without a time fix (epoch 0 and the like).</summary>
    public static readonly DateTimeOffset EarliestTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Largest payload accepted on any topic.</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    public static bool IsLatitude(double lat) => double.IsFinite(lat) && lat is >= -90 and <= 90;

    public static bool IsLongitude(double lon) => double.IsFinite(lon) && lon is >= -180 and <= 180;

    public static RejectReason? CheckPoint(double lat, double lon)
    {
        if (!IsLatitude(lat) || !IsLongitude(lon))
        {
            return RejectReason.OutOfRange;
        }

        // Trackers without a satellite fix commonly send exactly 0,0 ("null island").
        return lat == 0 && lon == 0 ? RejectReason.NoFix : null;
    }

    public static RejectReason? CheckTime(DateTimeOffset ts, DateTimeOffset now)
    {
        if (ts > now + MaxClockSkew)
        {
            return RejectReason.FutureTime;
        }

        return ts < EarliestTime ? RejectReason.AncientTime : null;
    }

    /// <summary>Optional measurements: non-finite values or values outside their physical range are refused.</summary>
    public static RejectReason? CheckOptional(double? acc, double? alt, double? spd, double? hdg, int? bat)
    {
        if (acc is { } a && (!double.IsFinite(a) || a < 0))
        {
            return RejectReason.OutOfRange;
        }

        if (alt is { } h && (!double.IsFinite(h) || h is < -1000 or > 10000))
        {
            return RejectReason.OutOfRange;
        }

        if (spd is { } s && (!double.IsFinite(s) || s < 0 || s > 400))
        {
            return RejectReason.OutOfRange;
        }

        if (hdg is { } d && (!double.IsFinite(d) || d < 0 || d > 360))
        {
            return RejectReason.OutOfRange;
        }

        return bat is < 0 or > 100 ? RejectReason.OutOfRange : null;
    }

    /// <summary>Device times are kept at millisecond precision, as the contract states them.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset ts) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ts.ToUnixTimeMilliseconds());
}
