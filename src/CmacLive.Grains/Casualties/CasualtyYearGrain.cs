using CmacLive.Storage;

namespace CmacLive.Casualties;

public sealed class CasualtyYearGrain(
    [PersistentState("casualties", StorageNames.Main)] IPersistentState<CasualtyYearState> store) : Grain, ICasualtyYearGrain
{
    public async Task<bool> Upsert(CasualtyRecord record)
    {
        if (!store.State.Records.ContainsKey(record.Id) && store.State.Records.Count >= ICasualtyYearGrain.MaxRecords)
        {
            return false;
        }

        store.State.Records[record.Id] = record;
        await store.WriteStateAsync();
        return true;
    }

    public async Task Remove(string id)
    {
        if (store.State.Records.Remove(id))
        {
            await store.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<CasualtyRecord>> List() =>
        Task.FromResult<IReadOnlyList<CasualtyRecord>>([.. store.State.Records.Values]);
}
