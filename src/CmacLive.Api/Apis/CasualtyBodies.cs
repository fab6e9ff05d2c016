using System.Security.Claims;
using System.Text.Json;
using CmacLive.Casualties;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The body of <c>PUT /api/casualties/{id}</c>, read into a record by the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class CasualtyBodies
{
    /// <summary>The earliest accident a record may be dated: the records of the mine-action era.</summary>
    public static readonly DateOnly Earliest = new(1979, 1, 1);

    /// <summary>The most victims one accident record may list.</summary>
    public const int MaxVictims = InputLimits.ListItems;

    private static IReadOnlyDictionary<string, CasualtyDevice> Devices => WireNames.Choices<CasualtyDevice>();

    private static IReadOnlyDictionary<string, VictimSex> Sexes => WireNames.Choices<VictimSex>();

    private static IReadOnlyDictionary<string, VictimAgeGroup> AgeGroups => WireNames.Choices<VictimAgeGroup>();

    private static IReadOnlyDictionary<string, VictimOutcome> Outcomes => WireNames.Choices<VictimOutcome>();

    /// <summary>
    /// <c>{date, lat, lon, province, district, village, device, activity, victims: [{sex, ageGroup, outcome, occupation}],
    /// requestId?, hazardArea?}</c> under the route's <c>id</c>; the date no later than the report day of today. Whether the
    /// request and the area exist is checked by the route.
    /// </summary>
    public sealed record Record(CasualtyRecord Casualty)
    {
        public static Record Read(JsonElement body, string id, DateOnly today, DateTimeOffset now, ClaimsPrincipal user, Dictionary<string, string[]> errors)
        {
            if (!Identifiers.IsId(id))
            {
                errors["id"] = [Identifiers.IdRule];
            }

            var date = Problems.RequiredDate(body, "date", errors);
            if (date is { } d && (d < Earliest || d > today))
            {
                errors["date"] = [$"must be between {Earliest:yyyy-MM-dd} and today ({today:yyyy-MM-dd})"];
            }

            var (lat, lon) = Problems.Point(body, errors);
            var province = Problems.RequiredText(body, "province", InputLimits.Short, errors);
            var district = Problems.RequiredText(body, "district", InputLimits.Short, errors);
            var village = Problems.RequiredText(body, "village", InputLimits.Short, errors);
            var device = Problems.RequiredChoice(body, "device", Devices, errors);
            var activity = Problems.RequiredText(body, "activity", InputLimits.Short, errors);
            var victims = Victims(body, errors);
            var requestId = Problems.OptionalId(body, "requestId", errors);
            var hazardArea = Problems.OptionalText(body, "hazardArea", InputLimits.Id, errors);
            if (hazardArea is not null && !Identifiers.IsCode(hazardArea))
            {
                errors["hazardArea"] = [Identifiers.CodeRule];
            }

            return new(new CasualtyRecord
            {
                Id = id,
                Date = date ?? default,
                Lat = lat,
                Lon = lon,
                Province = province ?? "",
                District = district,
                Village = village,
                Device = device ?? CasualtyDevice.Unknown,
                Activity = activity,
                Victims = victims,
                RequestId = requestId,
                HazardArea = hazardArea,
                RecordedAt = now,
                RecordedBy = Auth.CmacClaims.NameOf(user),
            });
        }
    }

    private static List<Victim> Victims(JsonElement body, Dictionary<string, string[]> errors)
    {
        var victims = new List<Victim>();
        if (!body.TryGetProperty("victims", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > MaxVictims)
        {
            errors["victims"] = [$"must be an array of 1 to {MaxVictims} victims, each {{sex, ageGroup, outcome, occupation}}"];
            return victims;
        }

        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var prefix = $"victims[{i++}].";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[prefix[..^1]] = ["must be an object {sex, ageGroup, outcome, occupation}"];
                continue;
            }

            var sex = Problems.RequiredChoice(item, "sex", Sexes, errors, prefix);
            var ageGroup = Problems.RequiredChoice(item, "ageGroup", AgeGroups, errors, prefix);
            var outcome = Problems.RequiredChoice(item, "outcome", Outcomes, errors, prefix);
            var occupation = Problems.RequiredText(item, "occupation", InputLimits.Short, errors, prefix);
            if (sex is { } s && ageGroup is { } a && outcome is { } o)
            {
                victims.Add(new Victim { Sex = s, AgeGroup = a, Outcome = o, Occupation = occupation });
            }
        }

        return victims;
    }

    /// <summary>The record as a caller who may not see personal data sees it: no village, no occupations, the place to about a kilometre.</summary>
    public static CasualtyRecord Masked(CasualtyRecord record) => record with
    {
        Village = null,
        Lat = Math.Round(record.Lat, 2),
        Lon = Math.Round(record.Lon, 2),
        Victims = [.. record.Victims.Select(v => v with { Occupation = null })],
        RecordedBy = null,
    };

    /// <summary>The body of <c>PUT /api/casualties/{id}</c> as sent (<see cref="Record"/> reads it).</summary>
    public sealed record CasualtyBody
    {
        /// <summary>The day of the accident, from 1979-01-01 to today.</summary>
        public required DateOnly Date { get; init; }

        public required double Lat { get; init; }

        public required double Lon { get; init; }

        public required string Province { get; init; }

        public required string District { get; init; }

        /// <summary>Personal: masked for viewers.</summary>
        public required string Village { get; init; }

        public required CasualtyDevice Device { get; init; }

        /// <summary>What the people were doing (farming, collecting wood, handling the item).</summary>
        public required string Activity { get; init; }

        /// <summary>1 to 64.</summary>
        public required IReadOnlyList<VictimBody> Victims { get; init; }

        /// <summary>The dispatch request concerned; it must exist.</summary>
        public string? RequestId { get; init; }

        /// <summary>The hazard area concerned; it must exist.</summary>
        public string? HazardArea { get; init; }
    }

    /// <summary>One victim as sent.</summary>
    public sealed record VictimBody
    {
        public required VictimSex Sex { get; init; }

        /// <summary>Child: under 18.</summary>
        public required VictimAgeGroup AgeGroup { get; init; }

        public required VictimOutcome Outcome { get; init; }

        /// <summary>Personal: masked for viewers.</summary>
        public required string Occupation { get; init; }
    }
}
