using CmacLive.Storage;
using CmacLive.Tracking;

namespace CmacLive.Assets;

public sealed class TeamGrain(
    [PersistentState("asset", StorageNames.Main)] IPersistentState<AssetTrackState> state,
    AssetGrainServices services) : AssetGrain(AssetKind.Team, state, services), ITeamGrain;

public sealed class MachineGrain(
    [PersistentState("asset", StorageNames.Main)] IPersistentState<AssetTrackState> state,
    AssetGrainServices services) : AssetGrain(AssetKind.Machine, state, services), IMachineGrain;

public sealed class DogGrain(
    [PersistentState("asset", StorageNames.Main)] IPersistentState<AssetTrackState> state,
    AssetGrainServices services) : AssetGrain(AssetKind.Dog, state, services), IDogGrain;

public sealed class RatGrain(
    [PersistentState("asset", StorageNames.Main)] IPersistentState<AssetTrackState> state,
    AssetGrainServices services) : AssetGrain(AssetKind.Rat, state, services), IRatGrain;
