using CmacLive.Dispatch;
using CmacLive.Storage;
using CmacLive.Tracking;

namespace CmacLive.Assets;

// An asset activates on the silo its device is connected to (its first call comes from there), so its fixes take no hop
// between silos; after a failover it stays where it is until it deactivates.

[Orleans.Placement.PreferLocalPlacement]
public sealed class TeamGrain(
    [PersistentState("asset", StorageNames.Main)] IPersistentState<AssetTrackState> state,
    AssetGrainServices services) : AssetGrain(AssetKind.Team, state, services), ITeamGrain
{
    private TeamDispatch _dispatch = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        _dispatch = new TeamDispatch(Id, State, GrainFactory, Services); // the state the base's tracker works on
    }

    public async Task<DispatchClaim?> ClaimDispatch(DispatchTask task)
    {
        if (!IsConfigured)
        {
            return null;
        }

        if (_dispatch.Claim(task))
        {
            await CommitAsync(TrackChange.Shown);
        }

        return new DispatchClaim { Status = Status(), Devices = [.. State.Devices] };
    }

    public async Task<IReadOnlyList<string>> ReleaseDispatch(string requestId)
    {
        if (IsConfigured && _dispatch.Release(requestId))
        {
            await CommitAsync(TrackChange.Shown);
        }

        return [.. State.Devices];
    }

    protected override Task MovedAsync(DateTimeOffset ts, double lat, double lon, bool force) => _dispatch.MovedAsync(ts, lat, lon, force);
}
