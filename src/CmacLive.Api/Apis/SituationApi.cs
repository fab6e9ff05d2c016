using CmacLive.Api.Auth;
using CmacLive.Api.Situation;
using CmacLive.Situations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

public static class SituationApi
{
    public static RouteGroupBuilder MapSituationApi(this RouteGroupBuilder api)
    {
        api.MapGet("/situation", GetSituation).RequireAuthorization(Policies.Read).WithTags("Situation").WithName("GetSituation")
            .WithSummary("The situation at a glance, of one unit or every unit")
            .WithDescription("Assets by kind and state, online and offline; areas by status and the ground searched and released on the report day "
                + "(Reports:UtcOffset); the day's finds by category; open alerts by severity; open requests by priority and how many are overdue. "
                + "Counted from this silo's running tally, never by reading every asset. A unit with nothing counts zeros. The hub pushes the same "
                + "object as situationUpdated, at most once a second and only when it changed, for the units a dashboard is focused on.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    /// <summary><c>GET /api/situation?unit=DU5</c>: one unit's situation (unit codes ignore case), or every unit's.</summary>
    public static async Task<Results<Ok<SituationView>, ValidationProblem, ProblemHttpResult>> GetSituation(
        string? unit, SituationBoard board, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        unit = Problems.UnitCode(unit, "unit", errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var view = await board.ReadAsync(unit is null ? null : [unit], cancellationToken);
        return view is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Starting",
                detail: "this silo has not yet read every asset and area; try again in a moment")
            : TypedResults.Ok(view);
    }
}
