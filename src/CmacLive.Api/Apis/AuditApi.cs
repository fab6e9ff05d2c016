using System.Globalization;
using CmacLive.Api.Auth;
using CmacLive.Audit;
using CmacLive.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

/// <summary><c>GET /api/audit</c>: who changed what, newest first (admin, operator).</summary>
public static class AuditApi
{
    public const int MaxLimit = 10_000;

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", Read).RequireAuthorization(Policies.Audit).WithTags("Audit").WithName("ReadAudit").WithSummary("The audit trail, newest first");
        return api;
    }

    /// <summary>
    /// <c>GET /api/audit?from=&amp;to=&amp;user=&amp;target=&amp;limit=</c>: entries in <c>[from, to)</c> (ISO-8601; by default the
    /// last 30 days), of one user and one target (<c>kind:id</c>, such as <c>asset:DU5-EOD-01</c>) if given, at most
    /// <c>limit</c> (1,000; at most 10,000), newest first.
    /// </summary>
    public static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ValidationProblem>> Read(
        string? from, string? to, string? user, string? target, string? limit, IAuditLog log, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = TimeRange.Read(from, to, time.GetUtcNow(), TimeSpan.FromDays(30), TimeSpan.MaxValue, errors);

        var count = 1000;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxLimit}"];
        }

        user = Problems.QueryText(user, "user", InputLimits.QueryText, errors);
        target = Problems.QueryText(target, "target", InputLimits.QueryText, errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var query = new AuditQuery
        {
            From = start,
            To = end,
            User = user,
            Target = target,
            Limit = count,
        };
        return TypedResults.Ok(await log.ReadAsync(query, cancellationToken));
    }
}
