using System.Buffers;
using System.Text.Json;
using CmacLive.Assets;
using CmacLive.Detections;
using CmacLive.Tracking;

namespace CmacLive.Ingestion;

/// <summary>
/// <c>cmac/v1/{deviceId}/find</c>: <c>{ts, detectionId | detectionTs, category, model?, depthCm, disposal, note?}</c>
/// confirms a detection as a find; <c>{ts, detectionId | detectionTs, clutter: true, note?}</c> marks it clutter.
/// <c>detectionTs</c> names this device's own detection by the <c>ts</c> it was reported with. Rare, so
/// read with a document rather than on the hot path's reader.
/// </summary>
public static class FindDecoder
{
    public static Decoded Decode(string deviceId, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        var reader = new Utf8JsonReader(payload);
        using var document = JsonDocument.ParseValue(ref reader);
        var body = document.RootElement;
        if (!body.TryGetProperty("ts", out var tsElement) || !TryTime(tsElement, out var ts))
        {
            return Decoded.Reject(RejectReason.Malformed, "find needs ts");
        }

        if (FieldRules.CheckTime(ts, now) is { } timeProblem)
        {
            return Decoded.Reject(timeProblem, "ts is out of range");
        }

        string? detectionId = null;
        if (body.TryGetProperty("detectionId", out var idElement) && idElement.ValueKind == JsonValueKind.String)
        {
            detectionId = idElement.GetString();
        }
        else if (body.TryGetProperty("detectionTs", out var detectionTs) && TryTime(detectionTs, out var at))
        {
            detectionId = DetectionIds.For(deviceId, FieldRules.ToMilliseconds(at));
        }

        if (string.IsNullOrWhiteSpace(detectionId) || detectionId.Length > 128)
        {
            return Decoded.Reject(RejectReason.Malformed, "find needs detectionId or detectionTs");
        }

        string? note = body.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        var report = new FindReport { DeviceId = deviceId, Ts = FieldRules.ToMilliseconds(ts), DetectionId = detectionId, Note = note };
        if (body.TryGetProperty("clutter", out var clutter) && clutter.ValueKind == JsonValueKind.True)
        {
            return new Decoded(DecodedKind.Find, Find: report);
        }

        var errors = new Dictionary<string, string[]>();
        var find = FindJson.Read(body, errors);
        if (find is null)
        {
            return Decoded.Reject(RejectReason.Malformed, string.Join("; ", errors.Select(e => $"{e.Key} {e.Value[0]}")));
        }

        return new Decoded(DecodedKind.Find, Find: report with { Find = find });
    }

    private static bool TryTime(JsonElement element, out DateTimeOffset ts)
    {
        ts = default;
        if (element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out var parsed))
        {
            ts = parsed.ToUniversalTime();
            return true;
        }

        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var ms) && ms is >= 0 and <= 253_402_300_799_999)
        {
            ts = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        return false;
    }
}
