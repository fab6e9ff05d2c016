using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CmacLive.Api.Apis;

/// <summary>A request body read into its typed record, or the 400 (problem+json) that names every field at fault.</summary>
public sealed class BodyRead<T>
    where T : class
{
    private readonly T? _body;
    private readonly ValidationProblem? _error;

    private BodyRead(T? body, ValidationProblem? error)
    {
        _body = body;
        _error = error;
    }

    /// <summary>
    /// Reads the body (a JSON object; with <paramref name="optional"/>, no body reads as <c>{}</c>) and hands it to the
    /// resource's validator, which answers the typed record and adds an entry to the errors for every field at fault.
    /// </summary>
    public static async Task<BodyRead<T>> ReadAsync(
        HttpRequest request, Func<JsonElement, Dictionary<string, string[]>, T> validate, CancellationToken cancellationToken, bool optional = false)
    {
        var (json, error) = optional
            ? await Problems.ReadOptionalObjectAsync(request, cancellationToken)
            : await Problems.ReadObjectAsync(request, cancellationToken);
        if (error is not null)
        {
            return new(null, error);
        }

        var errors = new Dictionary<string, string[]>();
        var body = validate(json, errors);
        return errors.Count > 0 ? new(null, Problems.Fields(errors)) : new(body, null);
    }

    /// <summary>True with the typed body; false with the 400 to answer.</summary>
    public bool IsValid([NotNullWhen(true)] out T? body, [NotNullWhen(false)] out ValidationProblem? error)
    {
        if (_body is { } read)
        {
            (body, error) = (read, null);
            return true;
        }

        (body, error) = (null, _error ?? Problems.Field("body", "could not be read"));
        return false;
    }
}
