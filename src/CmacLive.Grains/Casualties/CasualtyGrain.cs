using CmacLive.Storage;

namespace CmacLive.Casualties;

public sealed class CasualtyGrain(
    [PersistentState("casualty", StorageNames.Main)] IPersistentState<CasualtyState> store) : Grain, ICasualtyGrain
{
    /// <summary>
    /// The year's list first, then the record: a write that fails half way is put right by the client's retry, and the
    /// list never lacks a stored record. A full year refuses the record (<see cref="CasualtyYearFullException"/>).
    /// </summary>
    public async Task<CasualtyRecord> Put(CasualtyRecord record)
    {
        var year = GrainFactory.GetGrain<ICasualtyYearGrain>(record.Date.Year);
        if (!await year.Upsert(record))
        {
            throw new CasualtyYearFullException(record.Date.Year);
        }

        if (store.State.Record is { } previous && previous.Date.Year != record.Date.Year)
        {
            await GrainFactory.GetGrain<ICasualtyYearGrain>(previous.Date.Year).Remove(previous.Id);
        }

        store.State.Record = record;
        await store.WriteStateAsync();
        return record;
    }

    public Task<CasualtyRecord?> Get() => Task.FromResult(store.State.Record);
}
