using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using CmacLive.Assets;

namespace CmacLive.Ingestion;

/// <summary>
/// The fields of any uplink payload, read in one pass over the raw bytes without building a document.
/// Unknown members are skipped; a member of the wrong JSON type makes the whole payload malformed.
/// </summary>
internal struct PayloadFields
{
    public double? Lat, Lon, Acc, Alt, Spd, Hdg, Bat, Strength, DepthCm;
    public double? Tst, Vel, Cog, Batt;
    public DateTimeOffset? Ts;
    public AssetState? State;
    public DetectionSensor? Sensor;
    public string? OwnTracksType;
    public string? RequestId;

    /// <summary>Reads the payload; answers null on success or what is wrong with it.</summary>
    public static string? TryRead(ReadOnlySequence<byte> payload, out PayloadFields fields)
    {
        fields = default;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "payload is not a JSON object";
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var problem = fields.ReadMember(ref reader);
                if (problem is not null)
                {
                    return problem;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return "payload is not a single JSON object";
            }

            return null;
        }
        catch (JsonException ex)
        {
            return $"malformed JSON: {ex.Message}";
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // Text the reader cannot compare or convert, such as an escaped lone surrogate.
            return $"malformed text: {ex.Message}";
        }
    }

    private string? ReadMember(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("ts"u8))
        {
            return ReadTime(ref reader, out Ts);
        }

        if (reader.ValueTextEquals("state"u8))
        {
            return ReadEnum(ref reader, "state", StateNames, out State);
        }

        if (reader.ValueTextEquals("sensor"u8))
        {
            return ReadEnum(ref reader, "sensor", SensorNames, out Sensor);
        }

        if (reader.ValueTextEquals("_type"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return "_type must be a string";
            }

            OwnTracksType = reader.ValueTextEquals("location"u8) ? "location" : reader.ValueTextEquals("lwt"u8) ? "lwt" : "other";
            return null;
        }

        if (reader.ValueTextEquals("requestId"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                return "requestId must be a string";
            }

            RequestId = reader.GetString();
            return null;
        }

        ref var number = ref NumberSlot(ref reader, out var name);
        if (name is null)
        {
            reader.Read();
            reader.Skip();
            return null;
        }

        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                number = null;
                return null;
            case JsonTokenType.Number when reader.TryGetDouble(out var value) && double.IsFinite(value):
                number = value;
                return null;
            case JsonTokenType.Number:
                number = double.NaN;
                return null;
            default:
                return $"{name} must be a number";
        }
    }

    [UnscopedRef]
    private ref double? NumberSlot(ref Utf8JsonReader reader, out string? name)
    {
        name = null;
        if (reader.ValueTextEquals("lat"u8)) { name = "lat"; return ref Lat; }
        if (reader.ValueTextEquals("lon"u8)) { name = "lon"; return ref Lon; }
        if (reader.ValueTextEquals("acc"u8)) { name = "acc"; return ref Acc; }
        if (reader.ValueTextEquals("alt"u8)) { name = "alt"; return ref Alt; }
        if (reader.ValueTextEquals("spd"u8)) { name = "spd"; return ref Spd; }
        if (reader.ValueTextEquals("hdg"u8)) { name = "hdg"; return ref Hdg; }
        if (reader.ValueTextEquals("bat"u8)) { name = "bat"; return ref Bat; }
        if (reader.ValueTextEquals("strength"u8)) { name = "strength"; return ref Strength; }
        if (reader.ValueTextEquals("depthCm"u8)) { name = "depthCm"; return ref DepthCm; }
        if (reader.ValueTextEquals("tst"u8)) { name = "tst"; return ref Tst; }
        if (reader.ValueTextEquals("vel"u8)) { name = "vel"; return ref Vel; }
        if (reader.ValueTextEquals("cog"u8)) { name = "cog"; return ref Cog; }
        if (reader.ValueTextEquals("batt"u8)) { name = "batt"; return ref Batt; }
        return ref Tst; // not used: name stays null
    }

    /// <summary><c>ts</c>: an ISO-8601 string (no offset means UTC) or Unix epoch milliseconds.</summary>
    private static string? ReadTime(ref Utf8JsonReader reader, out DateTimeOffset? ts)
    {
        ts = null;
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.TryGetDateTime(out var time):
                ts = time.Kind switch
                {
                    DateTimeKind.Local => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
                    _ => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero),
                };
                return null;
            case JsonTokenType.Number when reader.TryGetDouble(out var ms) && double.IsFinite(ms)
                && ms is >= -62_135_596_800_000d and <= 253_402_300_799_999d:
                ts = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(ms));
                return null;
            default:
                return "ts must be an ISO-8601 UTC time or Unix epoch milliseconds";
        }
    }

    private static string? ReadEnum<T>(ref Utf8JsonReader reader, string member, (byte[] Name, T Value)[] names, out T? value)
        where T : struct
    {
        value = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            foreach (var (name, candidate) in names)
            {
                if (reader.ValueTextEquals(name))
                {
                    value = candidate;
                    return null;
                }
            }
        }

        return $"{member} must be one of {string.Join(", ", names.Select(n => System.Text.Encoding.UTF8.GetString(n.Name)))}";
    }

    private static readonly (byte[], AssetState)[] StateNames =
    [
        ("working"u8.ToArray(), AssetState.Working),
        ("resting"u8.ToArray(), AssetState.Resting),
        ("travelling"u8.ToArray(), AssetState.Travelling),
        ("standby"u8.ToArray(), AssetState.Standby),
        ("sos"u8.ToArray(), AssetState.Sos),
        ("unknown"u8.ToArray(), AssetState.Unknown),
    ];

    private static readonly (byte[], DetectionSensor)[] SensorNames =
    [
        ("metal"u8.ToArray(), DetectionSensor.Metal),
        ("gpr"u8.ToArray(), DetectionSensor.Gpr),
        ("dual"u8.ToArray(), DetectionSensor.Dual),
        ("dog"u8.ToArray(), DetectionSensor.Dog),
        ("rat"u8.ToArray(), DetectionSensor.Rat),
    ];
}
