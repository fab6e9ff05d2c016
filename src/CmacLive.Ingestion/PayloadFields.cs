using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using CmacLive.Assets;
using CmacLive.Validation;

namespace CmacLive.Ingestion;

/// <summary>
/// The fields of any uplink payload, read in one pass over the raw bytes without building a document.
/// Unknown members are skipped; a member of the wrong JSON type makes the whole payload malformed, and so does a
/// member sent twice (parsers disagree on which one wins, however its name is escaped).
/// </summary>
internal struct PayloadFields
{
    public double? Lat, Lon, Acc, Alt, Spd, Hdg, Bat, Strength, DepthCm;
    public double? Tst, Vel, Cog, Batt;
    public DateTimeOffset? Ts;
    public AssetState? State;

    /// <summary><c>"state": "offline"</c>: the last will a device leaves at the broker, sent when it drops.</summary>
    public bool Offline;
    public DetectionSensor? Sensor;
    public string? OwnTracksType;
    public string? RequestId;

    /// <summary>
    /// The members read so far, one bit per name of <see cref="Members"/>. Other members are skipped unread and never
    /// used, so one sent twice is as harmless as one sent once, and the hot path keeps no set of names.
    /// </summary>
    private uint _seen;

    /// <summary>Reads the payload; answers null on success or what is wrong with it.</summary>
    public static string? TryRead(ReadOnlySequence<byte> payload, out PayloadFields fields)
    {
        fields = default;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = InputLimits.PayloadJsonDepth });
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
        var member = KnownMember(ref reader);
        if (member < 0)
        {
            if (!IsText(ref reader))
            {
                return "a member name is not UTF-8 text";
            }

            reader.Read();
            reader.Skip();
            return null;
        }

        if ((_seen & (1u << member)) != 0)
        {
            return $"member '{Members[member].Name}' is sent more than once";
        }

        _seen |= 1u << member;
        return member switch
        {
            0 => ReadTime(ref reader, out Ts),
            1 => ReadState(ref reader),
            2 => ReadEnum(ref reader, "sensor", SensorNames, out Sensor),
            3 => ReadOwnTracksType(ref reader),
            4 => ReadRequestId(ref reader),
            _ => ReadNumber(ref reader, member),
        };
    }

    /// <summary>Every member this reader knows, in the order of <see cref="ReadMember"/>'s cases and <see cref="NumberSlot"/>.</summary>
    private static readonly (byte[] Utf8, string Name)[] Members =
    [
        .. new[] { "ts", "state", "sensor", "_type", "requestId", "lat", "lon", "acc", "alt", "spd", "hdg", "bat", "strength", "depthCm", "tst", "vel", "cog", "batt" }
            .Select(n => (System.Text.Encoding.UTF8.GetBytes(n), n)),
    ];

    /// <summary>The index of the member the reader is on in <see cref="Members"/>, or -1 (its name unescaped before it is compared).</summary>
    private static int KnownMember(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < Members.Length; i++)
        {
            if (reader.ValueTextEquals(Members[i].Utf8))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether a member name is text, without making a string of it (an escaped one, rare, is decoded: it throws if it is not).</summary>
    private static bool IsText(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            _ = reader.GetString();
            return true;
        }

        return System.Text.Unicode.Utf8.IsValid(reader.ValueSpan);
    }

    private string? ReadOwnTracksType(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            return "_type must be a string";
        }

        OwnTracksType = reader.ValueTextEquals("location"u8) ? "location" : reader.ValueTextEquals("lwt"u8) ? "lwt" : "other";
        return null;
    }

    private string? ReadRequestId(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            return "requestId must be a string";
        }

        RequestId = reader.GetString();
        return null;
    }

    private string? ReadNumber(ref Utf8JsonReader reader, int member)
    {
        ref var number = ref NumberSlot(member);
        var name = Members[member].Name;
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
    private ref double? NumberSlot(int member)
    {
        switch (member)
        {
            case 5: return ref Lat;
            case 6: return ref Lon;
            case 7: return ref Acc;
            case 8: return ref Alt;
            case 9: return ref Spd;
            case 10: return ref Hdg;
            case 11: return ref Bat;
            case 12: return ref Strength;
            case 13: return ref DepthCm;
            case 14: return ref Tst;
            case 15: return ref Vel;
            case 16: return ref Cog;
            default: return ref Batt;
        }
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

    /// <summary><c>state</c>: a working state, or <c>offline</c> (<see cref="Offline"/>).</summary>
    private string? ReadState(ref Utf8JsonReader reader)
    {
        var ahead = reader;
        ahead.Read();
        if (ahead.TokenType == JsonTokenType.String && ahead.ValueTextEquals("offline"u8))
        {
            reader = ahead;
            Offline = true;
            return null;
        }

        return ReadEnum(ref reader, "state", StateNames, out State) is { } problem ? problem + " or offline" : null;
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
