using System.Buffers;
using System.Text.Json;

namespace CmacLive.Ingestion.Phones;

/// <summary>Writes a phone's fix as the contract's position payload, so it is decoded and validated as an MQTT fix is.</summary>
internal static class PositionPayload
{
    /// <summary>Knots (the OsmAnd protocol's speed) to metres a second (the contract's <c>spd</c>).</summary>
    public const double KnotsToMs = 1852d / 3600d;

    public static byte[] Write(DateTimeOffset ts, double lat, double lon, double? acc, double? alt, double? spd, double? hdg, double? bat)
    {
        var buffer = new ArrayBufferWriter<byte>(160);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("ts", ts.ToUnixTimeMilliseconds());
            json.WriteNumber("lat", lat);
            json.WriteNumber("lon", lon);
            Optional(json, "acc", acc);
            Optional(json, "alt", alt);
            Optional(json, "spd", spd);
            Optional(json, "hdg", hdg);
            Optional(json, "bat", bat);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Optional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }
}
