using System.Text.Json;
using CmacLive.Reports;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the project routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class ReportBodies
{
    /// <summary>The largest target a project may set: 100,000 km², over half of Cambodia.</summary>
    private const double MaxTargetM2 = 1e11;

    /// <summary>
    /// <c>PUT /api/projects/{id}</c> <c>{name, units, donor?, targetM2, start, end}</c> (dates <c>yyyy-MM-dd</c>, inclusive), read
    /// into the project's definition under the route's <c>id</c> (checked with the body).
    /// </summary>
    public sealed record Project(ProjectDefinition Definition)
    {
        public static Project Read(JsonElement body, string id, Dictionary<string, string[]> errors)
        {
            if (!Identifiers.IsId(id))
            {
                errors["id"] = [Identifiers.IdRule];
            }

            var name = Problems.RequiredText(body, "name", InputLimits.Name, errors);
            var units = new List<string>();
            if (!body.TryGetProperty("units", out var u) || u.ValueKind != JsonValueKind.Array || u.GetArrayLength() is 0 or > InputLimits.ListItems
                || u.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String || !Identifiers.IsId(x.GetString())))
            {
                errors["units"] = [$"must be an array of 1 to {InputLimits.ListItems} unit codes such as DU5"];
            }
            else
            {
                units.AddRange(u.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).Distinct(StringComparer.Ordinal));
            }

            var donor = Problems.OptionalText(body, "donor", InputLimits.Name, errors);
            var target = Problems.OptionalNumber(body, "targetM2", errors);
            if (target is not (> 0 and <= MaxTargetM2) && !errors.ContainsKey("targetM2"))
            {
                errors["targetM2"] = [$"is required: the square metres the project must release, more than 0 and at most {MaxTargetM2:0}"];
            }

            var start = Problems.RequiredDate(body, "start", errors);
            var end = Problems.RequiredDate(body, "end", errors);
            if (start is { } s && end is { } e && e < s)
            {
                errors["end"] = ["must not be before start"];
            }

            return new(new ProjectDefinition
            {
                Id = id,
                Name = name ?? "",
                Units = units,
                Donor = donor,
                TargetM2 = target ?? 0,
                Start = start ?? default,
                End = end ?? default,
            });
        }
    }

    /// <summary>The body of <c>PUT /api/projects/{id}</c> as sent (<see cref="Project"/> reads it).</summary>
    public sealed record ProjectBody
    {
        public required string Name { get; init; }

        /// <summary>The units' codes, such as DU5: 1 or more.</summary>
        public required IReadOnlyList<string> Units { get; init; }

        /// <summary>Who funds the project (optional, at most 200 characters).</summary>
        public string? Donor { get; init; }

        /// <summary>The square metres the project must release.</summary>
        public required double TargetM2 { get; init; }

        /// <summary>The first day, inclusive.</summary>
        public required DateOnly Start { get; init; }

        /// <summary>The last day, inclusive.</summary>
        public required DateOnly End { get; init; }
    }
}
