using CmacLive.Storage;

namespace CmacLive.Assets;

public sealed class UnitDirectoryGrain(
    [PersistentState("units", StorageNames.Main)] IPersistentState<NameDirectoryState> store) : NameDirectoryGrain(store), IUnitDirectoryGrain;
