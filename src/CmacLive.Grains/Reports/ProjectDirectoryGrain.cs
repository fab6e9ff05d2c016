using CmacLive.Assets;
using CmacLive.Storage;

namespace CmacLive.Reports;

/// <summary>Every project id (<see cref="IProjectDirectoryGrain"/>), kept as the unit directory keeps unit codes.</summary>
public sealed class ProjectDirectoryGrain(
    [PersistentState("projects", StorageNames.Main)] IPersistentState<NameDirectoryState> store) : NameDirectoryGrain(store), IProjectDirectoryGrain;
