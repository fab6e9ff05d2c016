using System.Security.Claims;
using System.Text.Json;
using CmacLive.Detections;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the detection routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class DetectionBodies
{
    /// <summary><c>POST /api/detections/{id}/confirm</c> <c>{category, model?, depthCm, disposal, note?, by?}</c>: the find (<see cref="FindJson"/>).</summary>
    public sealed record Confirmation(FindDetails Find, string? Note, Actor Actor)
    {
        public static Confirmation Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors)
        {
            var find = FindJson.Read(body, errors);
            var note = Problems.OptionalText(body, "note", InputLimits.Note, errors);
            // FindJson answers no find only with an error for it, and the record is used only when there are none.
            return new(find!, note, Problems.Actor(body, user, errors));
        }
    }

    /// <summary><c>POST /api/detections/{id}/clutter</c> <c>{note?, by?}</c>.</summary>
    public sealed record Clutter(string? Note, Actor Actor)
    {
        public static Clutter Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors)
        {
            var note = Problems.OptionalText(body, "note", InputLimits.Note, errors);
            return new(note, Problems.Actor(body, user, errors));
        }
    }
}
