using System.Globalization;
using CmacLive.Api.Http;
using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Detections;
using CmacLive.HazardAreas;
using CmacLive.Reports;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.Api.Docs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static CmacLive.Api.Http.CsvTable;

namespace CmacLive.Api.Apis;

/// <summary>Projects with their targets, and the daily report per unit or project, as JSON or CSV.</summary>
public static class ReportsApi
{
    private const string Tag = "Reports";

    private static readonly string[] Kinds = ["team", "machine", "dog", "rat"];

    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapPut("/projects/{id}", PutProject).RequireAuthorization(Policies.Operate).Audited("project.put", "project:{id}", "name", "units", "donor", "targetM2", "start", "end")
            .WithTags(Tag).WithName("PutProject").WithSummary("Define a project and its target").Accepts<ReportBodies.ProjectBody>("application/json");
        api.MapGet("/projects/{id}", GetProject).RequireAuthorization(Policies.Read).WithTags(Tag).WithName("GetProject").WithSummary("A project and its progress")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/projects", ListProjects).RequireAuthorization(Policies.Read).WithTags(Tag).WithName("ListProjects").WithSummary("Every project and its progress");
        api.MapGet("/reports/daily", GetDaily).RequireAuthorization(Policies.Read).WithTags(Tag).WithName("GetDailyReport").WithSummary("The daily report per unit")
            .Produces<DailyReport>().ProducesValidationProblem()
            .WithMetadata(new AnswerFormat("json", "application/json", typeof(DailyReport)), new AnswerFormat("csv", "text/csv"));
        return api;
    }

    /// <summary><c>PUT /api/projects/{id}</c> <c>{name, units, donor?, targetM2, start, end}</c> (dates <c>yyyy-MM-dd</c>, inclusive).</summary>
    public static async Task<Results<Ok<ProjectDefinition>, ValidationProblem>> PutProject(
        string id, HttpRequest request, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var read = await BodyRead<ReportBodies.Project>.ReadAsync(request, (json, errors) => ReportBodies.Project.Read(json, id, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        return TypedResults.Ok(await grains.GetGrain<IProjectGrain>(id).Define(body.Definition));
    }

    /// <summary><c>GET /api/projects/{id}</c>: the project and its progress to date against its target.</summary>
    public static async Task<Results<Ok<ProjectProgress>, ProblemHttpResult>> GetProject(string id, IGrainFactory grains, ReportDays days, TimeProvider time)
    {
        var project = Identifiers.IsId(id) ? await grains.GetGrain<IProjectGrain>(id).Get() : null;
        return project is null ? Problems.NoSuch("project", id) : TypedResults.Ok(await ProgressAsync(grains, project, days.DayOf(time.GetUtcNow())));
    }

    public static async Task<Ok<ProjectProgress[]>> ListProjects(IGrainFactory grains, ReportDays days, TimeProvider time)
    {
        var ids = await grains.GetGrain<IProjectDirectoryGrain>(0).List();
        var projects = await Task.WhenAll(ids.Select(i => grains.GetGrain<IProjectGrain>(i).Get()));
        var today = days.DayOf(time.GetUtcNow());
        return TypedResults.Ok(await Task.WhenAll(projects.OfType<ProjectDefinition>().Select(p => ProgressAsync(grains, p, today))));
    }

    /// <summary>
    /// <c>GET /api/reports/daily?date=yyyy-MM-dd&amp;unit=&amp;project=&amp;format=json|csv</c>: per unit (one unit, a
    /// project's units, or every unit) the day's m² searched and released, finds by category, working hours
    /// per asset kind and open alerts; with a project, its progress against its target up to that day.
    /// </summary>
    public static async Task<IResult> GetDaily(
        string? date, string? unit, string? project, string? format, IGrainFactory grains, ReportDays days, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var day = days.DayOf(time.GetUtcNow());
        if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            errors["date"] = ["must be a date yyyy-MM-dd"];
        }

        unit = Problems.UnitCode(unit, "unit", errors);

        if (format is not (null or "json" or "csv"))
        {
            errors["format"] = ["must be json or csv"];
        }

        ProjectDefinition? definition = null;
        if (project is not null)
        {
            definition = Identifiers.IsId(project) ? await grains.GetGrain<IProjectGrain>(project).Get() : null;
            if (definition is null)
            {
                errors["project"] = [$"no project '{Identifiers.Shown(project)}'"];
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        IReadOnlyList<string> units = unit is not null ? [unit]
            : definition is not null ? definition.Units
            : await grains.GetGrain<IUnitDirectoryGrain>(0).List();
        var openAlerts = await grains.GetGrain<IAlertLedgerGrain>(0).List(openOnly: true);
        var rows = await Task.WhenAll(units.Select(async u =>
        {
            var figures = await UnitFigures.Of(grains, u, day).Get(day, day);
            return UnitDay.Of(u, figures.TryGetValue(day, out var f) ? f : new DayFigures(), openAlerts.Count(a => a.Unit == u));
        }));
        var progress = definition is null ? null : await ProgressAsync(grains, definition, day);
        var report = new DailyReport { Date = day, Units = rows, Project = progress };
        return format == "csv"
            ? ToCsv(report).ToResult()
            : Results.Ok(report);
    }

    private static async Task<ProjectProgress> ProgressAsync(IGrainFactory grains, ProjectDefinition project, DateOnly asOf)
    {
        // The project's ground is that of the areas naming it (each checked: a word lost when an area moved to another
        // project never counts it twice), each area's own figures within the project's dates.
        var to = asOf < project.End ? asOf : project.End;
        var claimed = await grains.GetGrain<IProjectGrain>(project.Id).Areas();
        var views = await Task.WhenAll(claimed.Select(a => grains.GetGrain<IHazardAreaGrain>(a).GetView()));
        var areas = views.Where(v => v is not null && v.Project == project.Id).Select(v => v!.Code).ToList();
        var total = new DayFigures();
        if (to >= project.Start)
        {
            var reads = areas.SelectMany(a => Enumerable.Range(project.Start.Year, to.Year - project.Start.Year + 1)
                .Select(y => grains.GetGrain<IUnitFiguresGrain>(UnitFigures.AreaKey(a, y)).Get(project.Start, to)));
            foreach (var days in await Task.WhenAll(reads))
            {
                total = days.Values.Aggregate(total, (sum, d) => sum.Plus(d));
            }
        }

        var spanDays = project.End.DayNumber - project.Start.DayNumber + 1;
        var elapsed = Math.Clamp(asOf.DayNumber - project.Start.DayNumber + 1, 0, spanDays);
        return new ProjectProgress
        {
            Id = project.Id,
            Name = project.Name,
            Units = project.Units,
            Donor = project.Donor,
            Areas = areas,
            TargetM2 = project.TargetM2,
            Start = project.Start,
            End = project.End,
            AsOf = asOf,
            ReleasedM2 = Math.Round(total.ReleasedM2, 1),
            SearchedM2 = Math.Round(total.SearchedM2, 1),
            Finds = total.Finds.Values.Sum(),
            PercentOfTarget = Math.Round(100 * total.ReleasedM2 / project.TargetM2, 2),
            PlannedPercent = Math.Round(100.0 * elapsed / spanDays, 2),
        };
    }

    private static CsvTable ToCsv(DailyReport report)
    {
        var header = new List<string> { "date", "unit", "searched_m2", "released_m2", "cancelled_m2", "reduced_m2", "cleared_m2", "finds_total" };
        header.AddRange(FindJson.Categories.Keys.Select(c => "finds_" + c.Replace('-', '_')));
        header.AddRange(Kinds.Select(k => "hours_" + k));
        header.Add("open_alerts");
        if (report.Project is not null)
        {
            header.AddRange(["project", "target_m2", "released_to_date_m2", "percent_of_target"]);
        }

        var csv = new CsvTable(header);
        foreach (var row in report.Units)
        {
            var cells = new List<string>
            {
                report.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.Unit, Number(row.SearchedM2), Number(row.ReleasedM2),
                Number(row.CancelledM2), Number(row.ReducedM2), Number(row.ClearedM2), Number(row.FindsTotal),
            };
            cells.AddRange(FindJson.Categories.Keys.Select(c => Number(row.Finds[c])));
            cells.AddRange(Kinds.Select(k => Number(row.WorkingHours[k])));
            cells.Add(Number(row.OpenAlerts));
            if (report.Project is { } p)
            {
                cells.AddRange([p.Id, Number(p.TargetM2), Number(p.ReleasedM2), Number(p.PercentOfTarget)]);
            }

            csv.Row(cells);
        }

        return csv;
    }

    /// <summary>The daily report: one row per unit, and the project's progress when one was asked for.</summary>
    public sealed record DailyReport
    {
        public required DateOnly Date { get; init; }
        public required IReadOnlyList<UnitDay> Units { get; init; }
        public ProjectProgress? Project { get; init; }
    }

    /// <summary>One unit's figures for the day.</summary>
    public sealed record UnitDay
    {
        public required string Unit { get; init; }
        public double SearchedM2 { get; init; }
        public double ReleasedM2 { get; init; }
        public double CancelledM2 { get; init; }
        public double ReducedM2 { get; init; }
        public double ClearedM2 { get; init; }
        public int FindsTotal { get; init; }
        public required IReadOnlyDictionary<string, int> Finds { get; init; }
        public required IReadOnlyDictionary<string, double> WorkingHours { get; init; }
        public int OpenAlerts { get; init; }

        public static UnitDay Of(string unit, DayFigures f, int openAlerts) => new()
        {
            Unit = unit,
            SearchedM2 = Math.Round(f.SearchedM2, 1),
            ReleasedM2 = Math.Round(f.ReleasedM2, 1),
            CancelledM2 = Math.Round(f.CancelledM2, 1),
            ReducedM2 = Math.Round(f.ReducedM2, 1),
            ClearedM2 = Math.Round(f.ClearedM2, 1),
            FindsTotal = f.Finds.Values.Sum(),
            Finds = FindJson.Categories.Keys.ToDictionary(c => c, c => f.Finds.TryGetValue(c, out var n) ? n : 0, StringComparer.Ordinal),
            WorkingHours = Kinds.ToDictionary(k => k, k => Math.Round((f.WorkingSeconds.TryGetValue(k, out var s) ? s : 0) / 3600, 3), StringComparer.Ordinal),
            OpenAlerts = openAlerts,
        };
    }

    /// <summary>A project and how far it is: released m² of the areas naming it against the target, and the share of its time gone by.</summary>
    public sealed record ProjectProgress
    {
        public required string Id { get; init; }
        public required string Name { get; init; }
        public required IReadOnlyList<string> Units { get; init; }
        public string? Donor { get; init; }

        /// <summary>The codes of the hazard areas naming the project: its progress is their ground and finds.</summary>
        public required IReadOnlyList<string> Areas { get; init; }

        public required double TargetM2 { get; init; }
        public required DateOnly Start { get; init; }
        public required DateOnly End { get; init; }
        public required DateOnly AsOf { get; init; }
        public double ReleasedM2 { get; init; }
        public double SearchedM2 { get; init; }
        public int Finds { get; init; }
        public double PercentOfTarget { get; init; }
        public double PlannedPercent { get; init; }
    }
}
