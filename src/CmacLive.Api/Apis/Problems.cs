using System.Text.Json;
using CmacLive.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CmacLive.Api.Apis;

/// <summary>RFC 7807 answers that name the offending field, the field readers, and the JSON body reader behind <see cref="BodyRead{T}"/> that never throws.</summary>
public static class Problems
{
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: $"Invalid {field}");

    public static ValidationProblem Fields(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: $"Invalid {string.Join(", ", errors.Keys)}");

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    /// <summary>404 <c>no {kind} '{id}'</c>, the id cut short when it is long (a route may carry kilobytes).</summary>
    public static ProblemHttpResult NoSuch(string kind, string id) => NotFound($"no {kind} '{Identifiers.Shown(id)}'");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>
    /// Reads the body as a JSON object of at most <see cref="InputLimits.JsonDepth"/> levels; on failure answers a 400
    /// naming <c>body</c>, or the member at fault: one sent twice (what the handler and the audit trail read must be the
    /// same), text that is not Unicode or holds control characters, a number too large for a double
    /// (<see cref="JsonBodyCheck"/>).
    /// </summary>
    internal static async Task<(JsonElement Body, ValidationProblem? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = InputLimits.JsonDepth }, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (default, Field("body", "must be a JSON object"));
            }

            if (JsonBodyCheck.Find(document.RootElement) is { } problem)
            {
                return (default, Field(problem.Path, problem.Message));
            }

            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, Field("body", $"is not valid JSON: {ex.Message}"));
        }
    }

    /// <summary>Like <see cref="ReadObjectAsync"/>, but a request without a body reads as an empty object.</summary>
    internal static Task<(JsonElement Body, ValidationProblem? Error)> ReadOptionalObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        request.ContentLength is > 0 || request.Headers.ContentType.Count > 0
            ? ReadObjectAsync(request, cancellationToken)
            : Task.FromResult((JsonDocument.Parse("{}").RootElement.Clone(), (ValidationProblem?)null));

    /// <summary>An optional string member; a member of another type is an error.</summary>
    public static string? OptionalString(JsonElement body, string name, Dictionary<string, string[]> errors, string? prefix = null)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[prefix + name] = ["must be a string"];
            return null;
        }

        return value.GetString();
    }

    /// <summary>A required string member of at most <paramref name="max"/> characters, trimmed.</summary>
    public static string? RequiredText(JsonElement body, string name, int max, Dictionary<string, string[]> errors, string? prefix = null)
    {
        var text = RequiredString(body, name, errors, prefix);
        return AtMost(text, prefix + name, max, errors);
    }

    /// <summary>A required id member (<see cref="Identifiers.IsId"/>).</summary>
    public static string? RequiredId(JsonElement body, string name, Dictionary<string, string[]> errors) =>
        Id(RequiredString(body, name, errors), name, errors);

    /// <summary>An optional id member (<see cref="Identifiers.IsId"/>); blank reads as absent.</summary>
    public static string? OptionalId(JsonElement body, string name, Dictionary<string, string[]> errors) =>
        Id(OptionalString(body, name, errors), name, errors);

    /// <summary>A query parameter's free text of at most <paramref name="max"/> characters, trimmed; blank reads as absent.</summary>
    public static string? QueryText(string? value, string name, int max, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (JsonBodyCheck.HasControl(text))
        {
            errors[name] = ["must not contain control characters"];
            return null;
        }

        return AtMost(text, name, max, errors);
    }

    /// <summary>A unit code sent in a query or a body: an id, stored and matched in upper case; checked before it is
    /// upper-cased, so no look-alike letter (<c>ſ</c>, <c>ı</c>) becomes an ASCII one.</summary>
    public static string? UnitCode(string? value, string name, Dictionary<string, string[]> errors) =>
        Id(value, name, errors)?.ToUpperInvariant();

    /// <summary>Trimmed text that must be an id; blank reads as absent.</summary>
    private static string? Id(string? value, string name, Dictionary<string, string[]> errors)
    {
        var id = value?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        if (!Identifiers.IsId(id))
        {
            errors[name] = [Identifiers.IdRule];
            return null;
        }

        return id;
    }

    private static string? AtMost(string? text, string field, int max, Dictionary<string, string[]> errors)
    {
        if (text is { Length: > 0 } && text.Length > max)
        {
            errors[field] = [InputLimits.AtMost(max)];
            return null;
        }

        return text;
    }

    /// <summary>A required string member that must be one of <paramref name="choices"/>' keys; answers its value.</summary>
    public static T? RequiredChoice<T>(JsonElement body, string name, IReadOnlyDictionary<string, T> choices,
        Dictionary<string, string[]> errors, string? prefix = null)
        where T : struct
    {
        var text = RequiredString(body, name, errors, prefix);
        if (text is null)
        {
            return null;
        }

        if (choices.TryGetValue(text, out var value))
        {
            return value;
        }

        errors[prefix + name] = [$"must be one of {string.Join(", ", choices.Keys)}"];
        return null;
    }

    public static string? RequiredString(JsonElement body, string name, Dictionary<string, string[]> errors, string? prefix = null)
    {
        var value = OptionalString(body, name, errors, prefix);
        if (string.IsNullOrWhiteSpace(value) && !errors.ContainsKey(prefix + name))
        {
            errors[prefix + name] = ["is required"];
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>An optional finite number member; a member of another type is an error.</summary>
    public static double? OptionalNumber(JsonElement body, string name, Dictionary<string, string[]> errors, string? prefix = null)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            errors[prefix + name] = ["must be a number"];
            return null;
        }

        return number;
    }

    /// <summary>An optional true/false member (absent or null: false); a member of another type is an error.</summary>
    public static bool OptionalBool(JsonElement body, string name, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors[name] = ["must be true or false"];
            return false;
        }

        return value.GetBoolean();
    }

    /// <summary>An optional string member of at most <paramref name="max"/> characters, trimmed; blank reads as absent.</summary>
    public static string? OptionalText(JsonElement body, string name, int max, Dictionary<string, string[]> errors, string? prefix = null)
    {
        var text = OptionalString(body, name, errors, prefix)?.Trim();
        return string.IsNullOrEmpty(text) ? null : AtMost(text, prefix + name, max, errors);
    }


    /// <summary>A required date member, <c>yyyy-MM-dd</c>.</summary>
    public static DateOnly? RequiredDate(JsonElement body, string name, Dictionary<string, string[]> errors, string? prefix = null)
    {
        var text = RequiredString(body, name, errors, prefix);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors[prefix + name] = ["must be a date yyyy-MM-dd"];
        return null;
    }

    /// <summary>
    /// A required place in the field: <c>lat</c> and <c>lon</c>, each a number within its range, and not 0,0 (a position
    /// never set).
    /// </summary>
    public static (double Lat, double Lon) Point(JsonElement body, Dictionary<string, string[]> errors)
    {
        var lat = Coordinate(body, "lat", 90, errors);
        var lon = Coordinate(body, "lon", 180, errors);
        if (lat == 0 && lon == 0)
        {
            errors["lat"] = ["0,0 is no place in the field (a position never set)"];
        }

        return (lat ?? 0, lon ?? 0);
    }

    private static double? Coordinate(JsonElement body, string name, double limit, Dictionary<string, string[]> errors)
    {
        var value = OptionalNumber(body, name, errors);
        if (value is null && !errors.ContainsKey(name))
        {
            errors[name] = ["is required"];
        }
        else if (value is { } v && Math.Abs(v) > limit)
        {
            errors[name] = [$"must be between -{limit} and {limit}"];
        }

        return value;
    }

    /// <summary>Who did it (<see cref="Apis.Actor"/>): the signed-in user, and the body's optional <c>by</c>.</summary>
    public static Actor Actor(JsonElement body, System.Security.Claims.ClaimsPrincipal user, Dictionary<string, string[]> errors) =>
        new(Auth.CmacClaims.NameOf(user), OptionalText(body, "by", InputLimits.Short, errors));
}
