using CmacLive.Assets;

namespace CmacLive.Dispatch;

/// <summary>
/// One community request, from filing to resolved or cancelled, with its audit trail and escalations.
/// Keyed by request id. Every step is decided in the grain's turn and stored with an ETag check, so two
/// dispatchers can never both move it, nor move it backwards (a re-assignment must be asked for with <c>replace</c>).
/// </summary>
public interface IDispatchRequestGrain : IGrainWithStringKey
{
    /// <summary>A new request's id, when the caller brings none: <c>REQ-{yyyyMMdd}-{10 random hex digits}</c>.</summary>
    static string NewId(DateTimeOffset now) =>
        $"REQ-{now.UtcDateTime:yyyyMMdd}-{Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5))}";

    /// <summary>
    /// Files the request, triages it and ranks the available teams. Filing the same report again answers the
    /// request as it stands (not created); a different report under the same id throws <see cref="DispatchConflictException"/>.
    /// One call, so two callers filing the same id at once cannot both be told they created it.
    /// </summary>
    Task<DispatchFiling> File(DispatchReport report, string by, string? onBehalfOf = null);

    /// <summary>The request, or null when no request has this id.</summary>
    Task<DispatchRequestView?> Get();

    /// <summary>Ranks the available teams again (while no team is assigned); null when unknown.</summary>
    Task<DispatchRequestView?> Recommend();

    /// <summary>
    /// Assigns an EOD team and sends the assignment to its devices. Throws <see cref="DispatchConflictException"/>
    /// when the request is past assignment or closed, already has another team (unless <paramref name="replace"/>),
    /// or the team is taken by another request, in SOS or not EOD-capable. Null when the request is unknown.
    /// </summary>
    Task<DispatchRequestView?> Assign(AssetRef team, string by, bool replace, string? onBehalfOf = null);

    /// <summary>
    /// The assigned team accepts: from one of its devices (<paramref name="deviceId"/>) or recorded by a
    /// dispatcher for whichever team is assigned (<paramref name="teamId"/> null). Acknowledging again is harmless. Throws
    /// <see cref="DispatchConflictException"/> when <paramref name="teamId"/> is not the assigned team or nothing is assigned.
    /// Null when unknown.
    /// </summary>
    Task<DispatchRequestView?> Acknowledge(string? teamId, string? deviceId, DateTimeOffset at, string by, string? onBehalfOf = null);

    /// <summary>A fix of the assigned team: moves the request on to en-route and on-site. One-way from the team.</summary>
    [Orleans.Concurrency.OneWay]
    Task TeamMoved(string teamId, TeamFix fix);

    /// <summary>Closes the request with what the team did. Throws <see cref="DispatchConflictException"/> before a team accepted it, or once closed.</summary>
    Task<DispatchRequestView?> Resolve(DispatchOutcome outcome, string by, string? onBehalfOf = null);

    /// <summary>Cancels an open request and frees its team. Throws <see cref="DispatchConflictException"/> once closed.</summary>
    Task<DispatchRequestView?> Cancel(string? reason, string by, string? onBehalfOf = null);
}
