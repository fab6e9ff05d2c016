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

    /// <summary>The body of <c>POST /api/detections/{id}/confirm</c> as sent (<see cref="Confirmation"/> reads it).</summary>
    public sealed record ConfirmationBody
    {
        public required FindCategory Category { get; init; }

        /// <summary>The item's model, such as BLU-24/B.</summary>
        public string? Model { get; init; }

        /// <summary>Centimetres below the surface, 0 to 1000.</summary>
        public required double DepthCm { get; init; }

        public required Disposal Disposal { get; init; }

        public string? Note { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }

    /// <summary>The body of <c>POST /api/detections/{id}/clutter</c> as sent (<see cref="Clutter"/> reads it).</summary>
    public sealed record ClutterBody
    {
        public string? Note { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }
}
