using CmacLive.Storage;

namespace CmacLive.Assets;

public sealed class UnitRosterGrain(
    [PersistentState("roster", StorageNames.Main)] IPersistentState<AssetRosterState> store) : AssetRosterGrain(store), IUnitRosterGrain;
