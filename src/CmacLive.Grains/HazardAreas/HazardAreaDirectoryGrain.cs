using CmacLive.Storage;

namespace CmacLive.HazardAreas;

public sealed class HazardAreaDirectoryGrain(
    [PersistentState("areas", StorageNames.Main)] IPersistentState<HazardAreaDirectoryState> store)
    : Grain, IHazardAreaDirectoryGrain
{
    public async Task<long> Touch(string code)
    {
        store.State.Version++;
        store.State.Codes[code] = store.State.Version;
        await store.WriteStateAsync();
        return store.State.Version;
    }

    public Task<HazardAreaChanges> ChangesSince(long version) => Task.FromResult(new HazardAreaChanges
    {
        Version = store.State.Version,
        Codes = [.. store.State.Codes.Where(c => c.Value > version).Select(c => c.Key).Order(StringComparer.Ordinal)],
    });

    public Task<IReadOnlyList<string>> Codes() =>
        Task.FromResult<IReadOnlyList<string>>([.. store.State.Codes.Keys.Order(StringComparer.Ordinal)]);
}
