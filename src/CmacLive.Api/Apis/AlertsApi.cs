using System.Security.Claims;
using CmacLive.Alerts;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
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

    /// <summary><c>GET /api/alerts?open=true</c>: open alerts (not yet both cleared and acknowledged), or with the recent closed ones too; newest first.</summary>
    public static async Task<Results<Ok<IReadOnlyList<Alert>>, ValidationProblem>> ListAlerts(string? open, IGrainFactory grains)
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

        return TypedResults.Ok(await grains.GetGrain<IAlertLedgerGrain>(0).List(openOnly));
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
