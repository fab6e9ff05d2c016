using System.Globalization;

namespace CmacLive;

/// <summary>
/// The contract's one way of writing a time, on every wire (REST, the hub, MQTT downlinks, exports): ISO-8601 UTC with a
/// <c>Z</c>, a whole second as <c>2026-05-12T03:04:05Z</c>, anything finer with exactly three digits of milliseconds,
/// <c>2026-05-12T03:04:05.270Z</c>.
/// </summary>
public static class WireTime
{
    public const string SecondsFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    public const string MillisecondsFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Of(DateTimeOffset value) =>
        value.UtcDateTime.ToString(value.Ticks % TimeSpan.TicksPerSecond == 0 ? SecondsFormat : MillisecondsFormat, CultureInfo.InvariantCulture);
}
