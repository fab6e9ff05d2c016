using System.Text.Json;
using CmacLive.Validation;

namespace CmacLive.Detections;

/// <summary>
/// Reads a find from a JSON object, the same way for REST and for the field's MQTT message:
/// <c>{category, model?, depthCm, disposal}</c>. Each problem is reported under the member's name.
/// </summary>
public static class FindJson
{
    public static IReadOnlyDictionary<string, FindCategory> Categories => WireNames.Choices<FindCategory>();

    public static IReadOnlyDictionary<string, Disposal> Disposals => WireNames.Choices<Disposal>();

    /// <summary>Deepest item a clearance record may state, in centimetres (aerial bombs lie deep).</summary>
    public const double MaxDepthCm = 1000;

    public static FindDetails? Read(JsonElement body, IDictionary<string, string[]> errors)
    {
        var category = Choice(body, "category", Categories, errors);
        var disposal = Choice(body, "disposal", Disposals, errors);
        string? model = null;
        if (body.TryGetProperty("model", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            model = m.ValueKind == JsonValueKind.String ? m.GetString()?.Trim() : null;
            if (model is null || model.Length > InputLimits.Short)
            {
                errors["model"] = [$"must be a string of at most {InputLimits.Short} characters, such as BLU-24/B"];
            }
        }

        double? depth = null;
        if (!body.TryGetProperty("depthCm", out var d) || d.ValueKind == JsonValueKind.Null)
        {
            errors["depthCm"] = ["is required (centimetres below the surface)"];
        }
        else if (d.ValueKind != JsonValueKind.Number || !d.TryGetDouble(out var cm) || !double.IsFinite(cm) || cm is < 0 or > MaxDepthCm)
        {
            errors["depthCm"] = [$"must be a number of centimetres from 0 to {MaxDepthCm}"];
        }
        else
        {
            depth = cm;
        }

        return category is { } c && disposal is { } p && depth is { } z && !errors.ContainsKey("model")
            ? new FindDetails { Category = c, Model = string.IsNullOrEmpty(model) ? null : model, DepthCm = z, Disposal = p }
            : null;
    }

    private static T? Choice<T>(JsonElement body, string name, IReadOnlyDictionary<string, T> choices, IDictionary<string, string[]> errors)
        where T : struct
    {
        if (body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && choices.TryGetValue(value.GetString()!, out var choice))
        {
            return choice;
        }

        errors[name] = [$"must be one of {string.Join(", ", choices.Keys)}"];
        return null;
    }
}
