using System.Globalization;

namespace CmacLive.Ingestion.Phones;

/// <summary>
/// The OsmAnd protocol's <c>timestamp</c>: Unix seconds, or Unix milliseconds when the number is past 2³¹−1 (as Traccar tells
/// them apart), an ISO-8601 time (no offset: UTC), or <c>yyyy-MM-dd HH:mm:ss</c> (UTC).
/// </summary>
internal static class OsmandTime
{
    public static bool TryParse(string text, out DateTimeOffset time)
    {
        time = default;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            var ms = number < int.MaxValue ? number * 1000 : number;
            if (ms is < -62_135_596_800_000 or > 253_402_300_799_999)
            {
                return false;
            }

            time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (text.Contains('T', StringComparison.Ordinal))
        {
            return DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, styles, out time);
        }

        return DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, styles, out time);
    }

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
    ];
}
