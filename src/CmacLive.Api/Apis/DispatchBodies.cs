using System.Security.Claims;
using System.Text.Json;
using CmacLive.Dispatch;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>
/// The bodies the dispatch routes take: each a typed record with the one validator that reads it from JSON
/// (<see cref="BodyRead{T}"/>), naming every field at fault.
/// </summary>
public static class DispatchBodies
{
    private static IReadOnlyDictionary<string, FoundItem> FoundItems => WireNames.Choices<FoundItem>();
    private static IReadOnlyDictionary<string, DispatchPriority> Priorities => WireNames.Choices<DispatchPriority>();
    private static IReadOnlyDictionary<string, DispatchResult> Results => WireNames.Choices<DispatchResult>();

    /// <summary><c>POST /api/dispatch/requests</c>: a community's report, under the integration's own <see cref="Id"/> or none.</summary>
    public sealed record Filing(string? Id, DispatchReport Report, Actor Actor)
    {
        public static Filing Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors)
        {
            var id = Problems.OptionalId(body, "id", errors);
            var (lat, lon) = Problems.Point(body, errors);

            var found = Problems.RequiredChoice(body, "found", FoundItems, errors);
            DispatchPriority? priority = body.TryGetProperty("priority", out var p) && p.ValueKind != JsonValueKind.Null
                ? Problems.RequiredChoice(body, "priority", Priorities, errors)
                : null;
            var unit = Problems.UnitCode(Problems.OptionalString(body, "unit", errors), "unit", errors);
            var phone = Problems.OptionalText(body, "reporterPhone", InputLimits.Phone, errors);
            if (phone is not null && !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')'))
            {
                errors["reporterPhone"] = ["may hold only digits, spaces and + - ( )"];
            }

            var report = new DispatchReport
            {
                Lat = lat,
                Lon = lon,
                Village = Problems.OptionalText(body, "village", InputLimits.Short, errors),
                Commune = Problems.OptionalText(body, "commune", InputLimits.Short, errors),
                District = Problems.OptionalText(body, "district", InputLimits.Short, errors),
                Province = Problems.OptionalText(body, "province", InputLimits.Short, errors),
                Found = found ?? FoundItem.Unknown,
                Description = Problems.OptionalText(body, "description", InputLimits.Description, errors),
                ReporterName = Problems.OptionalText(body, "reporterName", InputLimits.Name, errors),
                ReporterPhone = phone,
                NearPeople = Problems.OptionalBool(body, "nearPeople", errors),
                NearSchool = Problems.OptionalBool(body, "nearSchool", errors),
                NearRoad = Problems.OptionalBool(body, "nearRoad", errors),
                PhotoRef = Problems.OptionalText(body, "photoRef", InputLimits.Link, errors),
                Unit = unit,
                Priority = priority,
            };
            return new Filing(id, report, Problems.Actor(body, user, errors));
        }
    }

    /// <summary><c>POST …/{id}/assign</c> <c>{teamId, replace?, by?}</c>.</summary>
    public sealed record Assignment(string TeamId, bool Replace, Actor Actor)
    {
        public static Assignment Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors) =>
            new(Problems.RequiredId(body, "teamId", errors) ?? "", Problems.OptionalBool(body, "replace", errors), Problems.Actor(body, user, errors));
    }

    /// <summary><c>POST …/{id}/acknowledge</c> <c>{teamId?, by?}</c>: no <see cref="TeamId"/> means the team assigned.</summary>
    public sealed record Acknowledgement(string? TeamId, Actor Actor)
    {
        public static Acknowledgement Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors) =>
            new(Problems.OptionalId(body, "teamId", errors), Problems.Actor(body, user, errors));
    }

    /// <summary>
    /// <c>POST …/{id}/resolve</c> <c>{outcome: destroyed|removed|nothing-found, items, note?, by?}</c>: <c>items</c> is how
    /// many explosive items were found (at least 1, or 0 with nothing-found).
    /// </summary>
    public sealed record Resolution(DispatchOutcome Outcome, Actor Actor)
    {
        public static Resolution Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors)
        {
            var result = Problems.RequiredChoice(body, "outcome", Results, errors);
            var items = Problems.OptionalNumber(body, "items", errors);
            if (items is { } n && (n != Math.Floor(n) || n < 0 || n > 100_000))
            {
                errors["items"] = ["must be a whole number from 0"];
            }
            else if (result is DispatchResult.NothingFound && items is > 0)
            {
                errors["items"] = ["must be 0 (or absent) when nothing was found"];
            }
            else if (result is DispatchResult.Destroyed or DispatchResult.Removed && items is not >= 1)
            {
                errors["items"] = ["is required: how many items were found (at least 1)"];
            }

            var note = Problems.OptionalText(body, "note", InputLimits.Note, errors);
            var outcome = new DispatchOutcome { Result = result ?? DispatchResult.NothingFound, Items = (int)(items ?? 0), Note = note };
            return new Resolution(outcome, Problems.Actor(body, user, errors));
        }
    }

    /// <summary><c>POST …/{id}/cancel</c> <c>{reason?, by?}</c>.</summary>
    public sealed record Cancellation(string? Reason, Actor Actor)
    {
        public static Cancellation Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors) =>
            new(Problems.OptionalText(body, "reason", InputLimits.Note, errors), Problems.Actor(body, user, errors));
    }

    /// <summary>The body of <c>POST /api/dispatch/requests</c> as sent (<see cref="Filing"/> reads it).</summary>
    public sealed record FilingBody
    {
        /// <summary>The integration's own id for the report; the same report again answers the request as it stands.</summary>
        public string? Id { get; init; }

        public required double Lat { get; init; }

        public required double Lon { get; init; }

        public required FoundItem Found { get; init; }

        public string? Village { get; init; }

        public string? Commune { get; init; }

        public string? District { get; init; }

        public string? Province { get; init; }

        public string? Description { get; init; }

        public string? ReporterName { get; init; }

        /// <summary>Digits, spaces and + - ( ).</summary>
        public string? ReporterPhone { get; init; }

        public bool? NearPeople { get; init; }

        public bool? NearSchool { get; init; }

        public bool? NearRoad { get; init; }

        public string? PhotoRef { get; init; }

        /// <summary>The unit to send; none: the nearest.</summary>
        public string? Unit { get; init; }

        /// <summary>None: triage sets it.</summary>
        public DispatchPriority? Priority { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }

    /// <summary>The body of <c>POST …/{id}/assign</c> as sent (<see cref="Assignment"/> reads it).</summary>
    public sealed record AssignmentBody
    {
        public required string TeamId { get; init; }

        /// <summary>True sends this team instead of the one assigned.</summary>
        public bool? Replace { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }

    /// <summary>The body of <c>POST …/{id}/acknowledge</c> as sent (<see cref="Acknowledgement"/> reads it); no body is <c>{}</c>.</summary>
    public sealed record DispatchAckBody
    {
        /// <summary>None: the team assigned.</summary>
        public string? TeamId { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }

    /// <summary>The body of <c>POST …/{id}/resolve</c> as sent (<see cref="Resolution"/> reads it).</summary>
    public sealed record ResolutionBody
    {
        public required DispatchResult Outcome { get; init; }

        /// <summary>How many explosive items were found: at least 1, or 0 (or none) with nothing-found.</summary>
        public int? Items { get; init; }

        public string? Note { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }

    /// <summary>The body of <c>POST …/{id}/cancel</c> as sent (<see cref="Cancellation"/> reads it); no body is <c>{}</c>.</summary>
    public sealed record CancellationBody
    {
        public string? Reason { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }
}
