using CmacLive.Storage;
using CmacLive.Tracking;

namespace CmacLive.Assets;

// An asset activates on the silo its device is connected to (its first call comes from there), so its fixes take no hop
// between silos; after a failover it stays where it is until it deactivates.

[Orleans.Placement.PreferLocalPlacement]
public sealed class DogGrain(
    [PersistentState("asset", StorageNames.Main)] IPersistentState<AssetTrackState> state,
    AssetGrainServices services) : AssetGrain(AssetKind.Dog, state, services), IDogGrain;
