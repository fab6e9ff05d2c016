using System.Security.Claims;
using CmacLive.Alerts;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.History;
using CmacLive.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

public static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAlerts).RequireAuthorization(Policies.Read).WithName("ListAlerts").WithSummary("Alerts, newest first");
        alerts.MapGet("/{id}", GetAlert).RequireAuthorization(Policies.Read).WithName("GetAlert").WithSummary("An alert").ProducesProblem(StatusCodes.Status404NotFound);
        alerts.MapPost("/{id}/ack", Acknowledge).RequireAuthorization(Policies.Acknowledge).Audited("alert.acknowledge", "alert:{id}", "note")
            .WithName("AcknowledgeAlert").WithSummary("Acknowledge an alert").Accepts<AlertBodies.AlertAckBody>(true, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>The longest period one <c>GET /api/alerts?from=&amp;to=</c> may ask for.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);

    /// <summary>The most closed alerts one answer carries; a period holding more is refused (narrow it).</summary>
    public const int MaxClosed = 10_000;

    /// <summary>
    /// <c>GET /api/alerts?open=true</c>: open alerts (not yet both cleared and acknowledged), or with the recent closed ones
    /// too; newest first. With <c>from</c> or <c>to</c> (ISO-8601; <c>from</c> by default 7 days before <c>to</c>, <c>to</c>
    /// by default now): every alert closed in <c>[from, to)</c>, read from history however old, and those still open raised
    /// before <c>to</c>; newest first, with their trails.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<Alert>>, ValidationProblem>> ListAlerts(
        string? open, string? from, string? to, IGrainFactory grains, IHistoryStore history, TimeProvider time, CancellationToken cancellationToken)
    {
        bool openOnly;
        if (open is null)
        {
            openOnly = false;
        }
        else if (!bool.TryParse(open, out openOnly))
        {
            return Problems.Field("open", "must be true or false");
        }

        var ledger = grains.GetGrain<IAlertLedgerGrain>(0);
        if (from is null && to is null)
        {
            return TypedResults.Ok(await ledger.List(openOnly));
        }

        var errors = new Dictionary<string, string[]>();
        var (start, end) = TimeRange.Read(from, to, time.GetUtcNow(), TimeSpan.FromDays(7), MaxPeriod, errors);
        if (open is not null)
        {
            errors["open"] = ["cannot be combined with from and to, which answer closed alerts too"];
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var records = await history.ReadEventsAsync(AlertRecords.Stream, AlertRecords.Kind, start, end, MaxClosed + 1, cancellationToken);
        if (records.Count > MaxClosed)
        {
            return Problems.Field("from", $"the period holds more than {MaxClosed} closed alerts; narrow it");
        }

        // An alert closed again after a failed write is stored twice: its last closing counts.
        var closed = new Dictionary<string, Alert>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var alert = AlertRecords.Read(record.Payload);
            closed[alert.Id] = alert;
        }

        var stillOpen = (await ledger.List(openOnly: true)).Where(a => a.RaisedAt < end && !closed.ContainsKey(a.Id));
        return TypedResults.Ok<IReadOnlyList<Alert>>(
            [.. closed.Values.Concat(stillOpen).OrderByDescending(a => a.RaisedAt).ThenBy(a => a.Id, StringComparer.Ordinal)]);
    }

    public static async Task<Results<Ok<Alert>, ProblemHttpResult>> GetAlert(string id, IGrainFactory grains) =>
        Identifiers.IsLongId(id, InputLimits.AlertId) && await grains.GetGrain<IAlertLedgerGrain>(0).Get(id) is { } alert
            ? TypedResults.Ok(alert)
            : Problems.NoSuch("alert", id);

    /// <summary>
    /// <c>POST /api/alerts/{id}/ack</c> <c>{by?, note?}</c>: the signed-in user (or the named operator at the
    /// console) acknowledges the alert; the step goes into its audit trail. Acknowledging again changes nothing.
    /// </summary>
    public static async Task<Results<Ok<Alert>, ValidationProblem, ProblemHttpResult>> Acknowledge(
        string id, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var read = await BodyRead<AlertBodies.Acknowledgement>.ReadAsync(
            request, (json, errors) => AlertBodies.Acknowledgement.Read(json, user, errors), cancellationToken, optional: true);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        var alert = Identifiers.IsLongId(id, InputLimits.AlertId)
            ? await grains.GetGrain<IAlertLedgerGrain>(0).Acknowledge(id, body.Actor.By, body.Note, body.Actor.OnBehalfOf)
            : null;
        return alert is null ? Problems.NoSuch("alert", id) : TypedResults.Ok(alert);
    }
}
