using CmacLive.Assets;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

public static class AssetsApi
{
    public static RouteGroupBuilder MapAssetsApi(this RouteGroupBuilder api)
    {
        var assets = api.MapGroup("/assets").WithTags("Assets");
        assets.MapPut("/{id}", PutAsset).RequireAuthorization(Policies.Operate).Audited("asset.put", "asset:{id}", "kind", "name", "unit", "capabilities")
            .WithName("PutAsset").WithSummary("Register or change an asset").Accepts<AssetBodies.AssetBody>("application/json").ProducesProblem(StatusCodes.Status409Conflict);
        assets.MapGet("/{id}", GetAsset).RequireAuthorization(Policies.Read).WithName("GetAsset").WithSummary("An asset's live status").ProducesProblem(StatusCodes.Status404NotFound);
        assets.MapGet("/", ListAssets).RequireAuthorization(Policies.Read).WithName("ListAssets").WithSummary("Every asset's live status, or one unit's");
        return api;
    }

    /// <summary><c>PUT /api/assets/{id}</c> <c>{kind, name, unit, capabilities?}</c>: create or update, idempotent.</summary>
    public static async Task<Results<Ok<AssetStatus>, ValidationProblem, ProblemHttpResult>> PutAsset(
        string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var read = await BodyRead<AssetBodies.Registration>.ReadAsync(request, (json, errors) => AssetBodies.Registration.Read(json, id, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        try
        {
            return TypedResults.Ok(await grains.GetGrain<IAssetRegistrationGrain>(id).Register(body.Profile));
        }
        catch (AssetKindConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    public static async Task<Results<Ok<AssetStatus>, ProblemHttpResult>> GetAsset(string id, IGrainFactory grains)
    {
        var status = await FindStatusAsync(grains, id);
        return status is null ? Problems.NoSuch("asset", id) : TypedResults.Ok(status);
    }

    /// <summary><c>GET /api/assets?unit=DU5</c>: the live status of every asset, or of one unit's (unit codes ignore case).</summary>
    public static async Task<Results<Ok<AssetStatus[]>, ValidationProblem>> ListAssets(string? unit, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        unit = Problems.UnitCode(unit, "unit", errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        IReadOnlyList<string> units = unit is null ? await grains.GetGrain<IUnitDirectoryGrain>(0).List() : [unit];
        var statuses = await AssetGrains.StatusesAsync(grains, units, cancellationToken);
        return TypedResults.Ok(statuses.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray());
    }

    public static async Task<AssetRef?> FindAsync(IGrainFactory grains, string id) =>
        Identifiers.IsId(id) ? await grains.GetGrain<IAssetRegistrationGrain>(id).Find() : null;

    private static async Task<AssetStatus?> FindStatusAsync(IGrainFactory grains, string id) =>
        await FindAsync(grains, id) is { } asset ? await AssetGrains.Get(grains, asset).GetStatus() : null;
}
