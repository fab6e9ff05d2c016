using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmacLive.Api.Json;

/// <summary>Times on the wire as <see cref="WireTime"/> writes them; any ISO-8601 time read, as UTC.</summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(WireTime.Of(value));
}
