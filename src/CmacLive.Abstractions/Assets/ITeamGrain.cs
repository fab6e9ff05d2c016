namespace CmacLive.Assets;

/// <summary>A manual demining or EOD team: the one kind that can be dispatched to an emergency report.</summary>
public interface ITeamGrain : IAssetGrain
{
    /// <summary>
    /// Takes a dispatch: the team is now the request's. Claiming the same request again is harmless; throws
    /// <c>DispatchConflictException</c> when the team is not EOD-capable, is in SOS, or has another request.
    /// Null when the team is not configured.
    /// </summary>
    Task<Dispatch.DispatchClaim?> ClaimDispatch(Dispatch.DispatchTask task);

    /// <summary>Frees the team from <paramref name="requestId"/>, if that is its dispatch; answers its devices (to tell them).</summary>
    Task<IReadOnlyList<string>> ReleaseDispatch(string requestId);
}
