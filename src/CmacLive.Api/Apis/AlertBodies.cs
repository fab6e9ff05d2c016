using System.Security.Claims;
using System.Text.Json;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the alert routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class AlertBodies
{
    /// <summary><c>POST /api/alerts/{id}/ack</c> <c>{by?, note?}</c>.</summary>
    public sealed record Acknowledgement(string? Note, Actor Actor)
    {
        public static Acknowledgement Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors)
        {
            var actor = Problems.Actor(body, user, errors);
            return new(Problems.OptionalText(body, "note", InputLimits.Note, errors), actor);
        }
    }

    /// <summary>The body of <c>POST /api/alerts/{id}/ack</c> as sent (<see cref="Acknowledgement"/> reads it); no body is <c>{}</c>.</summary>
    public sealed record AlertAckBody
    {
        public string? Note { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }
}
