using System.Security.Claims;
using System.Text.Json;
using CmacLive.Geo;
using CmacLive.HazardAreas;
using CmacLive.Validation;
using NetTopologySuite.Geometries;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the hazard-area routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class HazardAreaBodies
{
    private static IReadOnlyDictionary<string, HazardAreaStatus> Statuses => WireNames.Choices<HazardAreaStatus>();

    private static IReadOnlyDictionary<string, HazardAreaType> Types => WireNames.Choices<HazardAreaType>();

    /// <summary>
    /// <c>PUT /api/hazard-areas/{code}</c>: a GeoJSON Feature, a WGS84 Polygon or MultiPolygon with <c>properties.type</c>
    /// SHA or CHA (plus optional name, province, unit, priority, project), read into the area's definition under the
    /// route's <c>code</c> (checked with the body). An invalid geometry is refused whole.
    /// </summary>
    public sealed record Feature(HazardAreaDefinition Definition)
    {
        public static Feature Read(JsonElement body, string code, Dictionary<string, string[]> errors)
        {
            if (!Identifiers.IsCode(code))
            {
                errors["code"] = [Identifiers.CodeRule];
            }

            if (Problems.OptionalString(body, "type", errors) != "Feature")
            {
                errors["type"] = ["must be \"Feature\""];
            }

            var properties = body.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            if (properties.ValueKind != JsonValueKind.Object)
            {
                errors["properties"] = ["must be an object with at least type SHA or CHA"];
            }

            HazardAreaType? type = null;
            string? name = null, province = null, unit = null, priority = null, project = null;
            if (properties.ValueKind == JsonValueKind.Object)
            {
                const string prefix = "properties.";
                type = Problems.RequiredChoice(properties, "type", Types, errors, prefix);
                if (Problems.OptionalString(properties, "code", errors, prefix) is { } bodyCode && bodyCode != code)
                {
                    errors["properties.code"] = [$"is '{Identifiers.Shown(bodyCode)}' but the URL names '{Identifiers.Shown(code)}'"];
                }

                name = Problems.OptionalText(properties, "name", InputLimits.Name, errors, prefix);
                province = Problems.OptionalText(properties, "province", InputLimits.Short, errors, prefix);
                // A unit code as an asset's: the same unit's figures, situation and dashboards whatever case the area file uses.
                unit = Problems.UnitCode(Problems.OptionalString(properties, "unit", errors, prefix), prefix + "unit", errors);
                priority = Problems.OptionalText(properties, "priority", InputLimits.Short, errors, prefix);
                project = Problems.OptionalText(properties, "project", InputLimits.Short, errors, prefix);
            }

            var geometry = ReadGeometry(body, errors);
            return new(new HazardAreaDefinition
            {
                Code = code,
                Type = type ?? HazardAreaType.Sha,
                GeometryWkb = geometry is null ? [] : HazardAreaGeometry.ToWkb(geometry),
                Name = name,
                Province = province,
                Unit = unit,
                Priority = priority,
                Project = project,
                AreaM2 = geometry is null ? 0 : MetricProjection.AreaM2(geometry),
            });
        }
    }

    /// <summary>
    /// <c>POST /api/hazard-areas/{code}/status</c> <c>{status, outcome?: {cancelledM2, reducedM2, clearedM2}, note?, by?}</c>:
    /// one land-release step.
    /// </summary>
    public sealed record StatusStep(StatusChange Change)
    {
        public static StatusStep Read(JsonElement body, ClaimsPrincipal user, Dictionary<string, string[]> errors)
        {
            var status = Problems.RequiredChoice(body, "status", Statuses, errors);
            var note = Problems.OptionalText(body, "note", InputLimits.Note, errors);
            var actor = Problems.Actor(body, user, errors);
            LandReleaseOutcome? outcome = null;
            if (body.TryGetProperty("outcome", out var o) && o.ValueKind != JsonValueKind.Null)
            {
                if (o.ValueKind != JsonValueKind.Object)
                {
                    errors["outcome"] = ["must be an object {cancelledM2, reducedM2, clearedM2}"];
                }
                else
                {
                    outcome = new LandReleaseOutcome
                    {
                        CancelledM2 = Problems.OptionalNumber(o, "cancelledM2", errors, "outcome.") ?? 0,
                        ReducedM2 = Problems.OptionalNumber(o, "reducedM2", errors, "outcome.") ?? 0,
                        ClearedM2 = Problems.OptionalNumber(o, "clearedM2", errors, "outcome.") ?? 0,
                    };
                }
            }

            var change = new StatusChange
            {
                To = status ?? HazardAreaStatus.Suspected,
                Outcome = outcome,
                By = actor.By,
                Note = note,
                OnBehalfOf = actor.OnBehalfOf,
            };
            return new(change);
        }
    }

    private static Geometry? ReadGeometry(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("geometry", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            errors["geometry"] = ["a Polygon or MultiPolygon geometry is required"];
            return null;
        }

        Geometry? geometry;
        try
        {
            geometry = element.Deserialize<Geometry>(HazardAreasApi.GeoJson);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            errors["geometry"] = [$"is not valid GeoJSON: {ex.Message}"];
            return null;
        }

        if (HazardAreaGeometry.Problem(geometry) is { } problem)
        {
            errors["geometry"] = [problem];
            return null;
        }

        geometry!.SRID = 4326;
        return geometry;
    }

    /// <summary>The body of <c>PUT /api/hazard-areas/{code}</c> as sent, a GeoJSON Feature (<see cref="Feature"/> reads it).</summary>
    public sealed record HazardAreaBody
    {
        /// <summary>Always "Feature".</summary>
        public required string Type { get; init; }

        /// <summary>A WGS84 Polygon or MultiPolygon.</summary>
        public required Geometry Geometry { get; init; }

        public required HazardAreaPropertiesBody Properties { get; init; }
    }

    /// <summary>The Feature's <c>properties</c>.</summary>
    public sealed record HazardAreaPropertiesBody
    {
        public required HazardAreaType Type { get; init; }

        /// <summary>If given, the code of the URL.</summary>
        public string? Code { get; init; }

        public string? Name { get; init; }

        public string? Province { get; init; }

        public string? Unit { get; init; }

        public string? Priority { get; init; }

        public string? Project { get; init; }
    }

    /// <summary>The body of <c>POST /api/hazard-areas/{code}/status</c> as sent (<see cref="StatusStep"/> reads it).</summary>
    public sealed record StatusStepBody
    {
        public required HazardAreaStatus Status { get; init; }

        /// <summary>The land released by the step (to <c>released</c>).</summary>
        public LandReleaseBody? Outcome { get; init; }

        public string? Note { get; init; }

        /// <summary>The person the signed-in user acts for (a director on the radio); kept beside the user, never instead.</summary>
        public string? By { get; init; }
    }

    /// <summary>How the land was released, in square metres.</summary>
    public sealed record LandReleaseBody
    {
        public double? CancelledM2 { get; init; }

        public double? ReducedM2 { get; init; }

        public double? ClearedM2 { get; init; }
    }
}
