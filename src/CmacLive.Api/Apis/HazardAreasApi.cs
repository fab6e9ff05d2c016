using System.Text.Json;
using CmacLive.Geo;
using CmacLive.HazardAreas;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CmacLive.Api.Apis;

public static class HazardAreasApi
{
    private static readonly JsonSerializerOptions GeoJson = CreateGeoJsonOptions();

    private static readonly Dictionary<string, HazardAreaType> Types = new()
    {
        ["SHA"] = HazardAreaType.Sha,
        ["CHA"] = HazardAreaType.Cha,
    };

    public static RouteGroupBuilder MapHazardAreasApi(this RouteGroupBuilder api)
    {
        var areas = api.MapGroup("/hazard-areas");
        areas.MapPut("/{code}", PutHazardArea);
        areas.MapGet("/{code}", GetHazardArea);
        return api;
    }

    /// <summary>
    /// <c>PUT /api/hazard-areas/{code}</c> with a GeoJSON Feature: a WGS84 Polygon or MultiPolygon and
    /// <c>properties.type</c> SHA or CHA (plus optional name, province, unit, priority, project).
    /// An invalid geometry is refused whole; nothing is stored.
    /// </summary>
    public static async Task<Results<Ok<HazardAreaView>, ValidationProblem>> PutHazardArea(
        string code, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        code = Uri.UnescapeDataString(code);
        var (body, error) = await Problems.ReadObjectAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        if (!Identifiers.Code().IsMatch(code))
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
                errors["properties.code"] = [$"is '{bodyCode}' but the URL names '{code}'"];
            }

            name = Problems.OptionalString(properties, "name", errors, prefix);
            province = Problems.OptionalString(properties, "province", errors, prefix);
            unit = Problems.OptionalString(properties, "unit", errors, prefix);
            priority = Problems.OptionalString(properties, "priority", errors, prefix);
            project = Problems.OptionalString(properties, "project", errors, prefix);
        }

        var geometry = ReadGeometry(body, errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var definition = new HazardAreaDefinition
        {
            Code = code,
            Type = type!.Value,
            GeometryWkb = HazardAreaGeometry.ToWkb(geometry!),
            Name = name,
            Province = province,
            Unit = unit,
            Priority = priority,
            Project = project,
            AreaM2 = MetricProjection.AreaM2(geometry!),
        };
        return TypedResults.Ok(await grains.GetGrain<IHazardAreaGrain>(code).Define(definition));
    }

    public static async Task<Results<Ok<HazardAreaView>, ProblemHttpResult>> GetHazardArea(string code, IGrainFactory grains)
    {
        code = Uri.UnescapeDataString(code);
        var view = Identifiers.Code().IsMatch(code) ? await grains.GetGrain<IHazardAreaGrain>(code).GetView() : null;
        return view is null ? Problems.NotFound($"no hazard area '{code}'") : TypedResults.Ok(view);
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
            geometry = element.Deserialize<Geometry>(GeoJson);
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

    private static JsonSerializerOptions CreateGeoJsonOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(HazardAreaGeometry.Factory));
        return options;
    }
}
