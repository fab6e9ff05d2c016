using System.Globalization;
using System.Security.Claims;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.Api.Docs;
using CmacLive.Api.Http;
using CmacLive.Casualties;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using CmacLive.Reports;
using CmacLive.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

/// <summary>
/// Mine and ERW accidents and their victims (the CMVIS idea), and the monthly figures a national centre reports. The
/// village, the victims' occupations and the exact place are personal: a caller who holds only <c>viewer</c> sees them masked.
/// </summary>
public static class CasualtiesApi
{
    private const string Tag = "Casualties";

    /// <summary>The longest period one list or figures request may ask for: the whole mine-action era.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366 * 50);

    public static RouteGroupBuilder MapCasualtiesApi(this RouteGroupBuilder api)
    {
        var casualties = api.MapGroup("/casualties").WithTags(Tag);
        casualties.MapPut("/{id}", Put).RequireAuthorization(Policies.Operate)
            .Audited("casualty.put", "casualty:{id}", "date", "province", "district", "device", "activity", "requestId", "hazardArea")
            .WithName("PutCasualty").WithSummary("Record an accident and its victims").Accepts<CasualtyBodies.CasualtyBody>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict);
        casualties.MapGet("/figures", Figures).RequireAuthorization(Policies.Read).WithName("GetCasualtyFigures")
            .WithSummary("Accidents and victims by month and province").Produces<IReadOnlyList<CasualtyFigures>>().ProducesValidationProblem()
            .WithMetadata(new AnswerFormat("json", "application/json", typeof(IReadOnlyList<CasualtyFigures>)), new AnswerFormat("csv", "text/csv"));
        casualties.MapGet("/{id}", Get).RequireAuthorization(Policies.Read).WithName("GetCasualty").WithSummary("An accident record")
            .ProducesProblem(StatusCodes.Status404NotFound);
        casualties.MapGet("/", List).RequireAuthorization(Policies.Read).WithName("ListCasualties").WithSummary("Accidents of a period, newest first");
        return api;
    }

    /// <summary>
    /// <c>PUT /api/casualties/{id}</c>: creates or replaces the record. Its <c>requestId</c> and <c>hazardArea</c>, when sent,
    /// must name a request and an area that exist.
    /// </summary>
    public static async Task<Results<Ok<CasualtyRecord>, ValidationProblem, ProblemHttpResult>> Put(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, ReportDays days, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var read = await BodyRead<CasualtyBodies.Record>.ReadAsync(
            request, (json, errors) => CasualtyBodies.Record.Read(json, id, days.DayOf(now), now, user, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        var record = body.Casualty;
        var missing = new Dictionary<string, string[]>();
        if (record.RequestId is { } requestId && await grains.GetGrain<IDispatchRequestGrain>(requestId).Get() is null)
        {
            missing["requestId"] = [$"no request '{Identifiers.Shown(requestId)}'"];
        }

        if (record.HazardArea is { } code && await grains.GetGrain<IHazardAreaGrain>(code).GetDefinition() is null)
        {
            missing["hazardArea"] = [$"no hazard area '{Identifiers.Shown(code)}'"];
        }

        if (missing.Count > 0)
        {
            return Problems.Fields(missing);
        }

        try
        {
            return TypedResults.Ok(await grains.GetGrain<ICasualtyGrain>(id).Put(record));
        }
        catch (CasualtyYearFullException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    /// <summary><c>GET /api/casualties/{id}</c>.</summary>
    public static async Task<Results<Ok<CasualtyRecord>, ProblemHttpResult>> Get(string id, ClaimsPrincipal user, IGrainFactory grains) =>
        Identifiers.IsId(id) && await grains.GetGrain<ICasualtyGrain>(id).Get() is { } record
            ? TypedResults.Ok(ForCaller(record, user))
            : Problems.NoSuch("casualty record", id);

    /// <summary>
    /// <c>GET /api/casualties?from=&amp;to=&amp;province=</c>: the accidents dated in <c>[from, to)</c> (by default the last
    /// 365 days), in one province or all, newest first.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<CasualtyRecord>>, ValidationProblem>> List(
        string? from, string? to, string? province, ClaimsPrincipal user, IGrainFactory grains, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var period = Period(from, to, time, errors);
        province = Problems.QueryText(province, "province", InputLimits.Short, errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var records = await InPeriodAsync(grains, period, province);
        return TypedResults.Ok<IReadOnlyList<CasualtyRecord>>(
            [.. records.OrderByDescending(r => r.Date).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => ForCaller(r, user))]);
    }

    /// <summary>
    /// <c>GET /api/casualties/figures?from=&amp;to=&amp;province=&amp;format=json|csv</c>: per month and province, accidents,
    /// victims, killed and injured, oldest month first; months without an accident are left out.
    /// </summary>
    public static async Task<IResult> Figures(string? from, string? to, string? province, string? format, IGrainFactory grains, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var period = Period(from, to, time, errors);
        province = Problems.QueryText(province, "province", InputLimits.Short, errors);
        if (format is not (null or "json" or "csv"))
        {
            errors["format"] = ["must be json or csv"];
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var figures = CasualtyCount.ByMonthAndProvince(await InPeriodAsync(grains, period, province));
        if (format != "csv")
        {
            return TypedResults.Ok(figures);
        }

        var csv = new CsvTable(["month", "province", "accidents", "victims", "killed", "injured"]);
        foreach (var f in figures)
        {
            csv.Row([f.Month, f.Province, .. new[] { f.Accidents, f.Victims, f.Killed, f.Injured }.Select(n => n.ToString(CultureInfo.InvariantCulture))]);
        }

        return csv.ToResult();
    }

    private static (DateTimeOffset From, DateTimeOffset To) Period(string? from, string? to, TimeProvider time, Dictionary<string, string[]> errors) =>
        TimeRange.Read(from, to, time.GetUtcNow(), TimeSpan.FromDays(365), MaxPeriod, errors);

    /// <summary>The records whose date (its midnight UTC) falls in the period, read from each year's list.</summary>
    private static async Task<List<CasualtyRecord>> InPeriodAsync(IGrainFactory grains, (DateTimeOffset From, DateTimeOffset To) period, string? province)
    {
        var years = Enumerable.Range(period.From.UtcDateTime.Year, period.To.UtcDateTime.Year - period.From.UtcDateTime.Year + 1);
        var lists = await Task.WhenAll(years.Select(y => grains.GetGrain<ICasualtyYearGrain>(y).List()));
        return
        [
            .. lists.SelectMany(l => l).Where(r =>
            {
                var day = new DateTimeOffset(r.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return day >= period.From && day < period.To
                    && (province is null || string.Equals(r.Province, province, StringComparison.OrdinalIgnoreCase));
            }),
        ];
    }

    private static CasualtyRecord ForCaller(CasualtyRecord record, ClaimsPrincipal user) =>
        Roles.SeesPersonalData(user) ? record : CasualtyBodies.Masked(record);
}
