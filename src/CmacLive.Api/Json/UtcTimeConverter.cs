using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmacLive.Api.Json;

/// <summary>
/// Times on the wire are ISO-8601 UTC with a <c>Z</c>: whole seconds as <c>2026-05-12T03:04:05Z</c>,
/// anything finer always with three digits of milliseconds, <c>2026-05-12T03:04:05.270Z</c>.
/// </summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public const string SecondsFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";
    public const string MillisecondsFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(
            value.Ticks % TimeSpan.TicksPerSecond == 0 ? SecondsFormat : MillisecondsFormat, CultureInfo.InvariantCulture));
}
