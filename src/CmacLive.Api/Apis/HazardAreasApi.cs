using System.Security.Claims;
using System.Text.Json;
using CmacLive.Assets;
using CmacLive.Clearance;
using CmacLive.Geo;
using CmacLive.HazardAreas;
using CmacLive.Api.Http;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.Api.Docs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace CmacLive.Api.Apis;

public static class HazardAreasApi
{
    /// <summary>GeoJSON in WGS84, as the routes read and answer it.</summary>
    internal static readonly JsonSerializerOptions GeoJson = CreateGeoJsonOptions();

    public static RouteGroupBuilder MapHazardAreasApi(this RouteGroupBuilder api)
    {
        var areas = api.MapGroup("/hazard-areas").WithTags("Hazard areas");
        areas.MapGet("/", ListHazardAreas).RequireAuthorization(Policies.Read).WithName("ListHazardAreas").WithSummary("Every hazard area, or their outlines for GIS")
            .Produces<HazardAreaView[]>().ProducesValidationProblem()
            .WithMetadata(new AnswerFormat("geojson", "application/geo+json", typeof(OutlineCollection)), new AnswerFormat("kml", KmlDocument.ContentType));
        areas.MapPut("/{code}", PutHazardArea).RequireAuthorization(Policies.Operate).Audited("hazard-area.put", "hazard-area:{code}", "properties.type", "properties.name", "properties.province", "properties.unit", "properties.priority", "properties.project")
            .WithName("PutHazardArea").WithSummary("Define a hazard area").Accepts<HazardAreaBodies.HazardAreaBody>("application/json");
        areas.MapGet("/{code}", GetHazardArea).RequireAuthorization(Policies.Read).WithName("GetHazardArea").WithSummary("A hazard area")
            .ProducesProblem(StatusCodes.Status404NotFound);
        areas.MapGet("/outlines", GetOutlines).RequireAuthorization(Policies.Read).WithName("GetHazardAreaOutlines").WithSummary("Every area's outline for maps")
            .Produces<OutlineCollection>(StatusCodes.Status200OK, "application/geo+json");
        areas.MapGet("/{code}/searched", GetSearched).RequireAuthorization(Policies.Read).WithName("GetSearchedFootprint").WithSummary("An area's searched footprint")
            .Produces<SearchedFeature>(StatusCodes.Status200OK, "application/geo+json").ProducesProblem(StatusCodes.Status404NotFound);
        areas.MapPost("/{code}/status", PostStatus).RequireAuthorization(Policies.Operate).Audited("hazard-area.status", "hazard-area:{code}", "status", "outcome", "note")
            .WithName("ChangeHazardAreaStatus").WithSummary("One land-release step").Accepts<HazardAreaBodies.StatusStepBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        areas.MapPut("/{code}/assets/{assetId}", AssignAsset).RequireAuthorization(Policies.Operate).Audited("hazard-area.assign", "hazard-area:{code}")
            .WithName("AssignAssetToArea").WithSummary("Task an asset to this area").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        areas.MapDelete("/{code}/assets/{assetId}", ReleaseAsset).RequireAuthorization(Policies.Operate).Audited("hazard-area.release", "hazard-area:{code}")
            .WithName("ReleaseAssetFromArea").WithSummary("Take an asset off this area").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>
    /// <c>PUT /api/hazard-areas/{code}</c> with a GeoJSON Feature: a WGS84 Polygon or MultiPolygon and
    /// <c>properties.type</c> SHA or CHA (plus optional name, province, unit, priority, project).
    /// An invalid geometry is refused whole; nothing is stored.
    /// </summary>
    public static async Task<Results<Ok<HazardAreaView>, ValidationProblem>> PutHazardArea(
        string code, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        code = Uri.UnescapeDataString(code);
        var read = await BodyRead<HazardAreaBodies.Feature>.ReadAsync(request, (json, errors) => HazardAreaBodies.Feature.Read(json, code, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        return TypedResults.Ok(await grains.GetGrain<IHazardAreaGrain>(code).Define(body.Definition, CmacClaims.NameOf(user)));
    }

    public static async Task<Results<Ok<HazardAreaView>, ProblemHttpResult>> GetHazardArea(string code, IGrainFactory grains)
    {
        code = Uri.UnescapeDataString(code);
        var view = Identifiers.IsCode(code) ? await grains.GetGrain<IHazardAreaGrain>(code).GetView() : null;
        return view is null ? Problems.NoSuch("hazard area", code) : TypedResults.Ok(view);
    }

    /// <summary>
    /// <c>GET /api/hazard-areas[?format=geojson|kml]</c>: every area, by code; with a format, every area's outline and its
    /// figures for GIS: a GeoJSON FeatureCollection (as <c>/outlines</c>) or KML (<see cref="KmlDocument"/>).
    /// </summary>
    public static async Task<IResult> ListHazardAreas(string? format, IGrainFactory grains)
    {
        switch (format)
        {
            case null:
                var codes = await grains.GetGrain<IHazardAreaDirectoryGrain>(0).Codes();
                var views = await Task.WhenAll(codes.Select(c => grains.GetGrain<IHazardAreaGrain>(c).GetView()));
                return TypedResults.Ok(views.OfType<HazardAreaView>().ToArray());
            case "geojson":
                return await GetOutlines(grains);
            case "kml":
                return Results.Bytes(KmlDocument.Areas(await OutlinesAsync(grains)), KmlDocument.ContentType);
            default:
                return Problems.Field("format", "must be geojson or kml (or absent: the areas as JSON)");
        }
    }

    /// <summary>
    /// <c>GET /api/hazard-areas/outlines</c>: every area as a GeoJSON FeatureCollection, its outline with its
    /// code, type, status, name, unit, area and searched share as properties (for maps).
    /// </summary>
    public static async Task<IResult> GetOutlines(IGrainFactory grains)
    {
        var features = (await OutlinesAsync(grains)).Select(a => new OutlineFeature(
            "Feature",
            HazardAreaGeometry.FromWkb(a.GeometryWkb),
            new OutlineProperties(a.View.Code, a.View.Type, a.View.Status, a.View.Name, a.View.Unit, a.View.AreaM2, a.View.SearchedM2,
                a.View.Percent, a.View.Finds, a.View.OpenDetections, a.View.Clutter)));
        return Results.Json(new OutlineCollection("FeatureCollection", features), GeoJson, "application/geo+json");
    }

    /// <summary>Every defined area's outline with its view, by code.</summary>
    private static async Task<IReadOnlyList<HazardAreaOutline>> OutlinesAsync(IGrainFactory grains)
    {
        var codes = await grains.GetGrain<IHazardAreaDirectoryGrain>(0).Codes();
        var areas = await Task.WhenAll(codes.Select(c => grains.GetGrain<IHazardAreaGrain>(c).GetOutline()));
        return [.. areas.OfType<HazardAreaOutline>()];
    }

    /// <summary><c>GET /api/hazard-areas/{code}/searched</c>: the searched footprint as a GeoJSON Feature (WGS84).</summary>
    public static async Task<IResult> GetSearched(string code, IGrainFactory grains)
    {
        code = Uri.UnescapeDataString(code);
        var searched = Identifiers.IsCode(code) ? await grains.GetGrain<IHazardAreaGrain>(code).GetSearched() : null;
        if (searched is null)
        {
            return Problems.NoSuch("hazard area", code);
        }

        var feature = new SearchedFeature(
            "Feature",
            new SearchedFootprint(HazardAreaGeometry.FromWkb(searched.AreaWkb), new ClearanceRules(), new FootprintState { Cells = searched.Cells })
                .SearchedWgs84(),
            new SearchedProperties(searched.Code, searched.AreaM2, searched.SearchedM2, searched.Percent));
        return Results.Json(feature, GeoJson, "application/geo+json");
    }

    /// <summary>
    /// <c>POST /api/hazard-areas/{code}/status</c> <c>{status, outcome?: {cancelledM2, reducedM2, clearedM2}, note?, by?}</c>:
    /// one land-release step. 409 when the step is not allowed from the area's status or the outcome does not fit.
    /// </summary>
    public static async Task<Results<Ok<HazardAreaView>, ValidationProblem, ProblemHttpResult>> PostStatus(
        string code, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        code = Uri.UnescapeDataString(code);
        var read = await BodyRead<HazardAreaBodies.StatusStep>.ReadAsync(
            request, (json, errors) => HazardAreaBodies.StatusStep.Read(json, user, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        try
        {
            if ((Identifiers.IsCode(code) ? await grains.GetGrain<IHazardAreaGrain>(code).ChangeStatus(body.Change) : null) is not { } changed)
            {
                return Problems.NoSuch("hazard area", code);
            }

            // Released land is no one's task any more.
            await Task.WhenAll(changed.LetGo.Select(asset => AssetGrains.Get(grains, asset).ReleaseTask(code)));
            return TypedResults.Ok(changed.View);
        }
        catch (HazardAreaConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    /// <summary><c>PUT /api/hazard-areas/{code}/assets/{assetId}</c>: the asset's task becomes this area (leaving its previous one).</summary>
    public static Task<Results<Ok<HazardAreaView>, ProblemHttpResult>> AssignAsset(string code, string assetId, IGrainFactory grains) =>
        TaskStepAsync(grains, Uri.UnescapeDataString(code), assetId, (asset, c) => asset.AssignTask(c));

    /// <summary><c>DELETE /api/hazard-areas/{code}/assets/{assetId}</c>: the asset leaves this area.</summary>
    public static Task<Results<Ok<HazardAreaView>, ProblemHttpResult>> ReleaseAsset(string code, string assetId, IGrainFactory grains) =>
        TaskStepAsync(grains, Uri.UnescapeDataString(code), assetId, (asset, c) => asset.ReleaseTask(c));

    /// <summary>One step of an asset's task in an area: 404 for an unknown area or asset, 409 when the area refuses.</summary>
    private static async Task<Results<Ok<HazardAreaView>, ProblemHttpResult>> TaskStepAsync(
        IGrainFactory grains, string code, string assetId, Func<IAssetGrain, string, Task<AssetStatus?>> step)
    {
        var (area, asset, problem) = await FindPairAsync(grains, code, assetId);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            await step(AssetGrains.Get(grains, asset!), code);
            return TypedResults.Ok((await area!.GetView())!);
        }
        catch (HazardAreaConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static async Task<(IHazardAreaGrain? Area, AssetRef? Asset, ProblemHttpResult? Problem)> FindPairAsync(
        IGrainFactory grains, string code, string assetId)
    {
        var area = grains.GetGrain<IHazardAreaGrain>(code);
        if (!Identifiers.IsCode(code) || await area.GetView() is null)
        {
            return (null, null, Problems.NoSuch("hazard area", code));
        }

        return await AssetsApi.FindAsync(grains, assetId) is { } asset
            ? (area, asset, null)
            : (null, null, Problems.NoSuch("asset", assetId));
    }

    /// <summary>Every area's outline as a GeoJSON FeatureCollection.</summary>
    public sealed record OutlineCollection(string Type, IEnumerable<OutlineFeature> Features);

    /// <summary>One area's outline and its figures.</summary>
    public sealed record OutlineFeature(string Type, Geometry Geometry, OutlineProperties Properties);

    /// <summary>An outline's figures, as the area's view has them.</summary>
    public sealed record OutlineProperties(
        string Code, HazardAreaType Type, HazardAreaStatus Status, string? Name, string? Unit, double AreaM2, double SearchedM2, double Percent,
        int Finds, int OpenDetections, int Clutter);

    /// <summary>An area's searched footprint as a GeoJSON Feature (WGS84).</summary>
    public sealed record SearchedFeature(string Type, Geometry Geometry, SearchedProperties Properties);

    /// <summary>The area's code and how much of it is searched.</summary>
    public sealed record SearchedProperties(string Code, double AreaM2, double SearchedM2, double Percent);

    private static JsonSerializerOptions CreateGeoJsonOptions()
    {
        var options = new JsonSerializerOptions();
        Json.WireJson.Configure(options);
        options.Converters.Add(new GeoJsonConverterFactory(HazardAreaGeometry.Factory));
        return options;
    }
}
