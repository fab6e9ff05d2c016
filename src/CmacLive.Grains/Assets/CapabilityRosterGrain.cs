using CmacLive.Storage;

namespace CmacLive.Assets;

public sealed class CapabilityRosterGrain(
    [PersistentState("capability", StorageNames.Main)] IPersistentState<AssetRosterState> store) : AssetRosterGrain(store), ICapabilityRosterGrain;
