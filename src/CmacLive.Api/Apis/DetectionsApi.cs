using System.Security.Claims;
using CmacLive.Detections;
using CmacLive.HazardAreas;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

public static class DetectionsApi
{
    /// <summary>The <c>area</c> filter's value for detections outside every hazard area.</summary>
    public const string OutsideAreas = "none";

    private static IReadOnlyDictionary<string, DetectionStatus> Statuses => WireNames.Choices<DetectionStatus>();

    public static RouteGroupBuilder MapDetectionsApi(this RouteGroupBuilder api)
    {
        var detections = api.MapGroup("/detections").WithTags("Detections");
        detections.MapGet("/", ListDetections).RequireAuthorization(Policies.Read).WithName("ListDetections").WithSummary("Detections, of one area or all");
        detections.MapGet("/{id}", GetDetection).RequireAuthorization(Policies.Read).WithName("GetDetection").WithSummary("A detection").ProducesProblem(StatusCodes.Status404NotFound);
        detections.MapPost("/{id}/confirm", Confirm).RequireAuthorization(Policies.Operate).Audited("detection.confirm", "detection:{id}", "category", "model", "depthCm", "disposal", "note")
            .WithName("ConfirmDetection").WithSummary("Confirm a detection as a find").Accepts<DetectionBodies.ConfirmationBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        detections.MapPost("/{id}/clutter", MarkClutter).RequireAuthorization(Policies.Operate).Audited("detection.clutter", "detection:{id}", "note")
            .WithName("MarkDetectionClutter").WithSummary("Mark a detection as clutter").Accepts<DetectionBodies.ClutterBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    /// <summary>
    /// <c>GET /api/detections?area=&amp;status=</c>: one area's detections (<c>area=none</c>: those outside every
    /// area; no area: all), oldest first, optionally only <c>open</c>, <c>find</c> or <c>clutter</c>.
    /// </summary>
    public static async Task<Results<Ok<Detection[]>, ValidationProblem>> ListDetections(string? area, string? status, IGrainFactory grains)
    {
        DetectionStatus? wanted = null;
        if (status is not null)
        {
            if (!Statuses.TryGetValue(status, out var s))
            {
                return Problems.Field("status", $"must be one of {string.Join(", ", Statuses.Keys)}");
            }

            wanted = s;
        }

        if (area is not null && area != OutsideAreas && !Identifiers.IsCode(area))
        {
            return Problems.Field("area", Identifiers.CodeRule);
        }

        IReadOnlyList<string> keys = area switch
        {
            OutsideAreas => [IDetectionIndexGrain.Outside],
            null => [.. await grains.GetGrain<IHazardAreaDirectoryGrain>(0).Codes(), IDetectionIndexGrain.Outside],
            _ => [area],
        };
        var lists = await Task.WhenAll(keys.Select(k => grains.GetGrain<IDetectionIndexGrain>(k).List()));
        return TypedResults.Ok(lists.SelectMany(l => l).Where(d => wanted is null || d.Status == wanted).ToArray());
    }

    public static async Task<Results<Ok<Detection>, ProblemHttpResult>> GetDetection(string id, IGrainFactory grains) =>
        IsDetectionId(id) && await grains.GetGrain<IDetectionGrain>(id).Get() is { } detection ? TypedResults.Ok(detection) : Problems.NoSuch("detection", id);

    /// <summary><c>POST /api/detections/{id}/confirm</c> <c>{category, model?, depthCm, disposal, note?}</c>: the detection is a find.</summary>
    public static async Task<Results<Ok<Detection>, ValidationProblem, ProblemHttpResult>> Confirm(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DetectionBodies.Confirmation>.ReadAsync(
            request, (json, errors) => DetectionBodies.Confirmation.Read(json, user, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        return await DecideAsync(grains, id, new DetectionDecision
        {
            Find = body.Find,
            By = body.Actor.By,
            At = time.GetUtcNow(),
            Note = body.Note,
            OnBehalfOf = body.Actor.OnBehalfOf,
        });
    }

    /// <summary><c>POST /api/detections/{id}/clutter</c> <c>{note?}</c>: the detection was no explosive item.</summary>
    public static async Task<Results<Ok<Detection>, ValidationProblem, ProblemHttpResult>> MarkClutter(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DetectionBodies.Clutter>.ReadAsync(
            request, (json, errors) => DetectionBodies.Clutter.Read(json, user, errors), cancellationToken, optional: true);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        return await DecideAsync(grains, id, new DetectionDecision
        {
            Find = null,
            By = body.Actor.By,
            At = time.GetUtcNow(),
            Note = body.Note,
            OnBehalfOf = body.Actor.OnBehalfOf,
        });
    }

    /// <summary>A detection's id (<c>{deviceId}-{ms}</c>); anything else names no detection, and no grain is woken for it.</summary>
    private static bool IsDetectionId(string id) => Identifiers.IsLongId(id, InputLimits.DetectionId);

    private static async Task<Results<Ok<Detection>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        IGrainFactory grains, string id, DetectionDecision decision)
    {
        try
        {
            return IsDetectionId(id) && await grains.GetGrain<IDetectionGrain>(id).Decide(decision) is { } detection
                ? TypedResults.Ok(detection)
                : Problems.NoSuch("detection", id);
        }
        catch (DetectionConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }
}
