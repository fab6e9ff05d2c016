using System.Buffers;
using System.Text.Json;
using CmacLive.Assets;
using CmacLive.Detections;
using CmacLive.Devices;
using CmacLive.Tracking;
using CmacLive.Validation;

namespace CmacLive.Ingestion;

/// <summary>
/// <c>cmac/v1/{deviceId}/find</c>: <c>{ts, detectionId | detectionTs, category, model?, depthCm, disposal, note?}</c>
/// confirms a detection as a find; <c>{ts, detectionId | detectionTs, clutter: true, note?}</c> marks it clutter.
/// <c>detectionTs</c> names this device's own detection by the <c>ts</c> it was reported with. Rare, so
/// read with a document rather than on the hot path's reader, and held to what REST bodies are held to
/// (<see cref="JsonBodyCheck"/>): its text is stored in the history and shown to operators.
/// </summary>
public static class FindDecoder
{
    public static Decoded Decode(string deviceId, ReadOnlySequence<byte> payload, DateTimeOffset now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = InputLimits.PayloadJsonDepth });
        }
        catch (JsonException ex)
        {
            return Decoded.Reject(RejectReason.Malformed, $"malformed JSON: {ex.Message}");
        }

        using (document)
        {
            return Decode(deviceId, document.RootElement, now);
        }
    }

    private static Decoded Decode(string deviceId, JsonElement body, DateTimeOffset now)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Decoded.Reject(RejectReason.Malformed, "payload is not a JSON object");
        }

        if (JsonBodyCheck.Find(body) is { } problem)
        {
            return Decoded.Reject(RejectReason.Malformed, $"{problem.Path} {problem.Message}");
        }

        if (!body.TryGetProperty("ts", out var tsElement) || !TryTime(tsElement, out var ts))
        {
            return Decoded.Reject(RejectReason.Malformed, "find needs ts");
        }

        if (FieldRules.CheckTime(ts, now) is { } timeProblem)
        {
            return Decoded.Reject(timeProblem, "ts is out of range");
        }

        string? detectionId = null;
        if (body.TryGetProperty("detectionId", out var idElement) && idElement.ValueKind != JsonValueKind.Null)
        {
            detectionId = idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            if (detectionId is { Length: > InputLimits.DetectionId })
            {
                return Decoded.Reject(RejectReason.TooLarge, $"detectionId is longer than {InputLimits.DetectionId} characters");
            }

            if (!DeviceIds.IsValidCompound(detectionId, InputLimits.DetectionId))
            {
                return Decoded.Reject(RejectReason.Malformed, "detectionId must be a detection's id: letters, digits, '.', '_' or '-'");
            }
        }
        else if (body.TryGetProperty("detectionTs", out var detectionTs) && TryTime(detectionTs, out var at))
        {
            detectionId = DetectionIds.For(deviceId, FieldRules.ToMilliseconds(at));
        }

        if (string.IsNullOrWhiteSpace(detectionId))
        {
            return Decoded.Reject(RejectReason.Malformed, "find needs detectionId or detectionTs");
        }

        string? note = null;
        if (body.TryGetProperty("note", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            if (n.ValueKind != JsonValueKind.String)
            {
                return Decoded.Reject(RejectReason.Malformed, "note must be a string");
            }

            note = n.GetString()!.Trim();
            if (note.Length > InputLimits.Note)
            {
                return Decoded.Reject(RejectReason.TooLarge, $"note is longer than {InputLimits.Note} characters");
            }

            note = note.Length == 0 ? null : note;
        }
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
