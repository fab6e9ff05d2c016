using CmacLive.Dispatch;
using CmacLive.Tracking;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// A team's part in dispatch: taking a request (only an EOD-capable team not in SOS, one request at a time), being
/// freed from it, and telling the request where the team is as it moves (one-way in spirit: a failure is logged, never
/// held against the fix). One per team activation, owned by its <see cref="TeamGrain"/>.
/// </summary>
internal sealed partial class TeamDispatch(string teamId, AssetTrackState state, IGrainFactory grains, AssetGrainServices services)
{
    /// <summary>A dispatched team's fixes go to its request at most this often (and at once inside the site radius).</summary>
    private static readonly TimeSpan FixInterval = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = services.Loggers.CreateLogger<TeamDispatch>();
    private DateTimeOffset _fixSentAt = DateTimeOffset.MinValue;
    private bool _siteReported;

    private DateTimeOffset Now => services.Time.GetUtcNow();

    /// <summary>The refusal of an asset that cannot take a dispatch: another kind, or a team without the EOD capability.</summary>
    public static DispatchConflictException NotAnEodTeam(string assetId) =>
        new($"'{assetId}' is not an EOD-capable team (capability '{DispatchRules.EodCapability}')");

    /// <summary>
    /// Takes <paramref name="task"/> for the team; true when that changed the team's state. Throws
    /// <see cref="DispatchConflictException"/> when the team is not EOD-capable, is in SOS, or has another request.
    /// </summary>
    public bool Claim(DispatchTask task)
    {
        if (!state.Profile!.Capabilities.Contains(DispatchRules.EodCapability))
        {
            throw NotAnEodTeam(teamId);
        }

        if (state.Dispatch is { } current && current.RequestId != task.RequestId)
        {
            throw new DispatchConflictException($"team '{teamId}' is already assigned to request '{current.RequestId}'");
        }

        if (state.State == AssetState.Sos)
        {
            throw new DispatchConflictException($"team '{teamId}' is in SOS");
        }

        if (state.Dispatch == task)
        {
            return false;
        }

        state.Dispatch = task;
        _fixSentAt = DateTimeOffset.MinValue;
        _siteReported = false;
        LogDispatched(teamId, task.RequestId);
        return true;
    }

    /// <summary>Frees the team from <paramref name="requestId"/> if that is its request; true when it was.</summary>
    public bool Release(string requestId)
    {
        if (state.Dispatch?.RequestId != requestId)
        {
            return false;
        }

        state.Dispatch = null;
        LogReleased(teamId, requestId);
        return true;
    }

    /// <summary>
    /// Tells a dispatched team's request where it is (the request never waits on the team, nor the team on the
    /// request): at once inside the site radius or when <paramref name="force"/>d, otherwise every few seconds.
    /// </summary>
    public async Task MovedAsync(DateTimeOffset ts, double lat, double lon, bool force)
    {
        if (state.Dispatch is not { } task)
        {
            return;
        }

        var inside = TeamRanking.DistanceM(lat, lon, task.Lat, task.Lon) <= task.OnSiteRadiusM;
        if (!force && !(inside && !_siteReported) && Now - _fixSentAt < FixInterval)
        {
            return;
        }

        _fixSentAt = Now;
        _siteReported |= inside;
        try
        {
            await grains.GetGrain<IDispatchRequestGrain>(task.RequestId)
                .TeamMoved(teamId, new TeamFix { Ts = ts, Lat = lat, Lon = lon, State = state.State });
        }
        catch (Exception ex)
        {
            LogPositionFailed(ex, teamId, task.RequestId);
        }
    }

    [LoggerMessage(LogLevel.Information, "Team {AssetId} dispatched to request {RequestId}")]
    private partial void LogDispatched(string assetId, string requestId);

    [LoggerMessage(LogLevel.Information, "Team {AssetId} released from request {RequestId}")]
    private partial void LogReleased(string assetId, string requestId);

    [LoggerMessage(LogLevel.Warning, "Team {AssetId}: its position could not reach request {RequestId}")]
    private partial void LogPositionFailed(Exception ex, string assetId, string requestId);
}
