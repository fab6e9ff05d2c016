using System.Security.Claims;
using CmacLive.Api.Http;
using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.Api.Docs;
using CmacLive.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static CmacLive.Api.Http.CsvTable;

namespace CmacLive.Api.Apis;

/// <summary>Community requests: filing with triage and recommended teams, the dispatch steps, lists and figures.</summary>
public static class DispatchApi
{
    private static IReadOnlyDictionary<string, DispatchStatus> Statuses => WireNames.Choices<DispatchStatus>();

    private const string ChangedMeanwhile = "the request was changed at the same moment elsewhere and this step was not stored; read it again and retry";

    /// <summary>The longest period one list or figures call may cover.</summary>
    private static readonly TimeSpan LongestRange = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapDispatchApi(this RouteGroupBuilder api)
    {
        var dispatch = api.MapGroup("/dispatch").WithTags("Dispatch");
        dispatch.MapPost("/requests", File).RequireAuthorization(Policies.Dispatch).Audited("request.file", "request:{new}", "id", "lat", "lon", "found", "village", "commune", "district", "province", "nearPeople", "nearSchool", "nearRoad", "unit", "priority")
            .WithName("FileRequest").WithSummary("File a community request").Accepts<DispatchBodies.FilingBody>("application/json").ProducesProblem(StatusCodes.Status409Conflict);
        dispatch.MapGet("/requests", List).RequireAuthorization(Policies.Read).WithName("ListRequests").WithSummary("Requests, newest first");
        dispatch.MapGet("/requests/{id}", Get).RequireAuthorization(Policies.Read).WithName("GetRequest").WithSummary("A request").ProducesProblem(StatusCodes.Status404NotFound);
        dispatch.MapGet("/requests/{id}/recommendations", Recommend).RequireAuthorization(Policies.Read).WithName("RecommendTeams").WithSummary("The teams ranked for a request")
            .ProducesProblem(StatusCodes.Status404NotFound);
        dispatch.MapPost("/requests/{id}/assign", Assign).RequireAuthorization(Policies.Dispatch).Audited("request.assign", "request:{id}", "teamId", "replace")
            .WithName("AssignTeam").WithSummary("Send a team").Accepts<DispatchBodies.AssignmentBody>("application/json").ProducesStep();
        dispatch.MapPost("/requests/{id}/acknowledge", Acknowledge).RequireAuthorization(Policies.Dispatch).Audited("request.acknowledge", "request:{id}", "teamId")
            .WithName("AcknowledgeRequest").WithSummary("Record that the team accepted").Accepts<DispatchBodies.DispatchAckBody>(true, "application/json").ProducesStep();
        dispatch.MapPost("/requests/{id}/resolve", Resolve).RequireAuthorization(Policies.Dispatch).Audited("request.resolve", "request:{id}", "outcome", "items", "note")
            .WithName("ResolveRequest").WithSummary("Close a request with its outcome").Accepts<DispatchBodies.ResolutionBody>("application/json").ProducesStep();
        dispatch.MapPost("/requests/{id}/cancel", Cancel).RequireAuthorization(Policies.Dispatch).Audited("request.cancel", "request:{id}", "reason")
            .WithName("CancelRequest").WithSummary("Cancel a request").Accepts<DispatchBodies.CancellationBody>(true, "application/json").ProducesStep();
        dispatch.MapGet("/figures", Figures).RequireAuthorization(Policies.Read).WithName("GetDispatchFigures").WithSummary("Counts and response times")
            .Produces<DispatchFiguresAnswer>().ProducesValidationProblem()
            .WithMetadata(new AnswerFormat("json", "application/json", typeof(DispatchFiguresAnswer)), new AnswerFormat("csv", "text/csv"));
        return api;
    }

    /// <summary>
    /// <c>POST /api/dispatch/requests</c>: files a request and answers it triaged, with its priority and ranked
    /// <c>recommendations</c> (201). An integration may send its own <c>id</c>: the same report again answers the
    /// request as it stands (200), another report under that id is a conflict (409).
    /// </summary>
    public static async Task<Results<Created<DispatchRequestView>, Ok<DispatchRequestView>, ValidationProblem, ProblemHttpResult>> File(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DispatchBodies.Filing>.ReadAsync(request, (json, errors) => DispatchBodies.Filing.Read(json, user, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        var id = body.Id ?? IDispatchRequestGrain.NewId(time.GetUtcNow());
        try
        {
            var filing = await grains.GetGrain<IDispatchRequestGrain>(id).File(body.Report, body.Actor.By, body.Actor.OnBehalfOf);
            var filed = ForCaller(filing.Request, user);
            return filing.Created ? TypedResults.Created($"/api/dispatch/requests/{Uri.EscapeDataString(id)}", filed) : TypedResults.Ok(filed);
        }
        catch (DispatchConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            return Problems.Conflict(ChangedMeanwhile);
        }
    }

    public static async Task<Results<Ok<DispatchRequestView>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Identifiers.IsId(id) && await grains.GetGrain<IDispatchRequestGrain>(id).Get() is { } found
            ? TypedResults.Ok(ForCaller(found, user))
            : Problems.NoSuch("request", id);

    /// <summary><c>GET /api/dispatch/requests/{id}/recommendations</c>: the teams ranked again now (while none is assigned).</summary>
    public static async Task<Results<Ok<IReadOnlyList<Recommendation>>, ProblemHttpResult>> Recommend(string id, IGrainFactory grains) =>
        Identifiers.IsId(id) && await grains.GetGrain<IDispatchRequestGrain>(id).Recommend() is { } found
            ? TypedResults.Ok(found.Recommendations)
            : Problems.NoSuch("request", id);

    /// <summary>
    /// <c>GET /api/dispatch/requests?open=true</c>, or <c>?status=&amp;unit=&amp;province=&amp;from=&amp;to=</c>: requests received
    /// between <c>from</c> and <c>to</c> (ISO-8601; by default the last 30 days), newest first. <c>open=true</c>
    /// lists every open request whenever it was received.
    /// </summary>
    public static async Task<Results<Ok<DispatchSummary[]>, ValidationProblem>> List(
        string? open, string? status, string? unit, string? province, string? from, string? to, IGrainFactory grains, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var openOnly = false;
        if (open is not null && !bool.TryParse(open, out openOnly))
        {
            errors["open"] = ["must be true or false"];
        }

        DispatchStatus? wanted = null;
        if (status is not null)
        {
            if (Statuses.TryGetValue(status, out var s))
            {
                wanted = s;
            }
            else
            {
                errors["status"] = [$"must be one of {string.Join(", ", Statuses.Keys)}"];
            }
        }

        var range = Range(from, to, time, errors);
        unit = Problems.UnitCode(unit, "unit", errors);
        province = Problems.QueryText(province, "province", InputLimits.Short, errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var requests = openOnly
            ? await grains.GetGrain<IDispatchIndexGrain>(IDispatchIndexGrain.Open).List()
            : await ReceivedAsync(grains, range);
        return TypedResults.Ok(requests
            .Where(r => wanted is null || r.Status == wanted)
            .Where(r => unit is null || r.Unit == unit)
            .Where(r => province is null || string.Equals(r.Province, province, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.ReceivedAt)
            .ToArray());
    }

    /// <summary>
    /// <c>POST …/{id}/assign</c> <c>{teamId, replace?, by?}</c>: sends the team (its devices get the assignment on
    /// <c>cmac/v1/{deviceId}/cmd</c>). 409 when the request is past assignment or closed, has another team and
    /// <c>replace</c> is not true, or the team is taken, in SOS or not EOD-capable.
    /// </summary>
    public static async Task<Results<Ok<DispatchRequestView>, ValidationProblem, ProblemHttpResult>> Assign(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DispatchBodies.Assignment>.ReadAsync(request, (json, errors) => DispatchBodies.Assignment.Read(json, user, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        var team = await AssetsApi.FindAsync(grains, body.TeamId);
        if (team is null || team.Kind != AssetKind.Team)
        {
            return Problems.Field("teamId", team is null ? $"no asset '{body.TeamId}'" : $"'{body.TeamId}' is a {WireNames.Of(team.Kind)}, not a team");
        }

        return await StepAsync(id, user, grains, g => g.Assign(team, body.Actor.By, body.Replace, body.Actor.OnBehalfOf));
    }

    /// <summary><c>POST …/{id}/acknowledge</c> <c>{teamId?, by?}</c>: a dispatcher records that the assigned team accepted (by radio or phone).</summary>
    public static async Task<Results<Ok<DispatchRequestView>, ValidationProblem, ProblemHttpResult>> Acknowledge(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DispatchBodies.Acknowledgement>.ReadAsync(
            request, (json, errors) => DispatchBodies.Acknowledgement.Read(json, user, errors), cancellationToken, optional: true);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        return await StepAsync(id, user, grains, g => g.Acknowledge(body.TeamId, null, time.GetUtcNow(), body.Actor.By, body.Actor.OnBehalfOf));
    }

    /// <summary><c>POST …/{id}/resolve</c> (<see cref="DispatchBodies.Resolution"/>): closes a request a team has accepted.</summary>
    public static async Task<Results<Ok<DispatchRequestView>, ValidationProblem, ProblemHttpResult>> Resolve(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DispatchBodies.Resolution>.ReadAsync(request, (json, errors) => DispatchBodies.Resolution.Read(json, user, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        return await StepAsync(id, user, grains, g => g.Resolve(body.Outcome, body.Actor.By, body.Actor.OnBehalfOf));
    }

    /// <summary><c>POST …/{id}/cancel</c> <c>{reason?, by?}</c>: closes an open request and frees its team.</summary>
    public static async Task<Results<Ok<DispatchRequestView>, ValidationProblem, ProblemHttpResult>> Cancel(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var read = await BodyRead<DispatchBodies.Cancellation>.ReadAsync(
            request, (json, errors) => DispatchBodies.Cancellation.Read(json, user, errors), cancellationToken, optional: true);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        return await StepAsync(id, user, grains, g => g.Cancel(body.Reason, body.Actor.By, body.Actor.OnBehalfOf));
    }

    /// <summary>
    /// <c>GET /api/dispatch/figures?from=&amp;to=&amp;unit=&amp;format=json|csv</c>: for the requests received in the period
    /// (by default the last 30 days), per unit and priority and per priority over all units: counts, and minutes
    /// from reception to assignment, acknowledgement, on site and resolution (median, 90th percentile, mean).
    /// </summary>
    public static async Task<IResult> Figures(string? from, string? to, string? unit, string? format, IGrainFactory grains, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var range = Range(from, to, time, errors);
        if (format is not (null or "json" or "csv"))
        {
            errors["format"] = ["must be json or csv"];
        }

        unit = Problems.UnitCode(unit, "unit", errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var requests = (await ReceivedAsync(grains, range)).Where(r => unit is null || r.Unit == unit);
        var rows = DispatchFigures.Compute(requests);
        return format == "csv"
            ? ToCsv(rows).ToResult()
            : TypedResults.Ok(new DispatchFiguresAnswer(range.From, range.To, rows));
    }

    /// <summary>The figures of the requests received in <c>[from, to)</c>, per unit and priority.</summary>
    public sealed record DispatchFiguresAnswer(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DispatchFigureRow> Rows);

    /// <summary>A dispatch step's answers beside its own: 404 for no such request, 409 when the step is not allowed now.</summary>
    private static RouteHandlerBuilder ProducesStep(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static async Task<Results<Ok<DispatchRequestView>, ValidationProblem, ProblemHttpResult>> StepAsync(
        string id, ClaimsPrincipal user, IGrainFactory grains, Func<IDispatchRequestGrain, Task<DispatchRequestView?>> step)
    {
        if (!Identifiers.IsId(id))
        {
            return Problems.NoSuch("request", id);
        }

        try
        {
            return await step(grains.GetGrain<IDispatchRequestGrain>(id)) is { } view ? TypedResults.Ok(ForCaller(view, user)) : Problems.NoSuch("request", id);
        }
        catch (DispatchConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            return Problems.Conflict(ChangedMeanwhile);
        }
    }

    /// <summary>
    /// The request as <paramref name="user"/> may see it: its reporter's name and phone masked for a caller who holds
    /// only <c>viewer</c> (<see cref="Roles.SeesPersonalData"/>). Lists and figures carry summaries, which never name the reporter.
    /// </summary>
    private static DispatchRequestView ForCaller(DispatchRequestView view, ClaimsPrincipal user) =>
        Roles.SeesPersonalData(user) ? view : PersonalData.Masked(view);

    /// <summary>The summaries of the requests received in the range, from the month indexes it touches.</summary>
    private static async Task<IReadOnlyList<DispatchSummary>> ReceivedAsync(IGrainFactory grains, (DateTimeOffset From, DateTimeOffset To) range)
    {
        var months = new List<string>();
        for (var month = new DateTimeOffset(range.From.Year, range.From.Month, 1, 0, 0, 0, TimeSpan.Zero); month < range.To; month = month.AddMonths(1))
        {
            months.Add(IDispatchIndexGrain.MonthOf(month));
        }

        var lists = await Task.WhenAll(months.Select(m => grains.GetGrain<IDispatchIndexGrain>(m).List()));
        return [.. lists.SelectMany(l => l).Where(r => r.ReceivedAt >= range.From && r.ReceivedAt < range.To)];
    }

    // Requests received in [from, to): by default the last 30 days, up to everything received so far.
    private static (DateTimeOffset From, DateTimeOffset To) Range(string? from, string? to, TimeProvider time, Dictionary<string, string[]> errors) =>
        TimeRange.Read(from, to, time.GetUtcNow(), TimeSpan.FromDays(30), LongestRange, errors);

    private static CsvTable ToCsv(IReadOnlyList<DispatchFigureRow> rows)
    {
        var steps = new[] { "assign", "acknowledge", "on_site", "resolve" };
        var csv = new CsvTable([.. new[] { "unit", "priority", "requests", "open", "resolved", "cancelled" }
            .Concat(steps.SelectMany(s => new[] { $"to_{s}_count", $"to_{s}_median_min", $"to_{s}_p90_min", $"to_{s}_mean_min" }))]);
        foreach (var row in rows)
        {
            var cells = new List<string>
            {
                row.Unit, WireNames.Of(row.Priority), Number(row.Requests), Number(row.Open), Number(row.Resolved), Number(row.Cancelled),
            };
            foreach (var d in new[] { row.ToAssign, row.ToAcknowledge, row.ToOnSite, row.ToResolve })
            {
                cells.AddRange([Number(d.Count), Number(d.MedianMinutes), Number(d.P90Minutes), Number(d.MeanMinutes)]);
            }

            csv.Row(cells);
        }

        return csv;
    }
}
