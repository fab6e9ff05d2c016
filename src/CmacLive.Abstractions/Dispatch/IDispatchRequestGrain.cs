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

/// <summary>A team's position and working state, as its dispatch needs it.</summary>
[GenerateSerializer, Immutable, Alias("cmac.TeamFix")]
public sealed record TeamFix
{
    [Id(0)] public required DateTimeOffset Ts { get; init; }
    [Id(1)] public required double Lat { get; init; }
    [Id(2)] public required double Lon { get; init; }
    [Id(3)] public AssetState State { get; init; }
}

/// <summary>What a team is sent to: the request and its site.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchTask")]
public sealed record DispatchTask
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required double Lat { get; init; }
    [Id(2)] public required double Lon { get; init; }

    /// <summary>Within this distance of the site the team is on site; fixes inside it are passed on at once.</summary>
    [Id(3)] public required double OnSiteRadiusM { get; init; }
}

/// <summary>A team's answer to a claim: its status and the devices that reported for it lately (for the downlink).</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchClaim")]
public sealed record DispatchClaim
{
    [Id(0)] public required AssetStatus Status { get; init; }
    [Id(1)] public IReadOnlyList<string> Devices { get; init; } = [];
}

/// <summary>
/// The requests received in one month (key <c>yyyy-MM</c>, UTC), or the open ones (key <see cref="Open"/>),
/// as summaries for lists and figures.
/// </summary>
public interface IDispatchIndexGrain : IGrainWithStringKey
{
    public const string Open = "open";

    /// <summary>The index for a month of reception.</summary>
    public static string MonthOf(DateTimeOffset receivedAt) => receivedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    Task Put(DispatchSummary summary);

    Task<IReadOnlyList<DispatchSummary>> List();
}
