using CmacLive.Storage;

namespace CmacLive.Dispatch;

/// <summary>
/// Summaries of the requests received in one month, or of the open ones (key <see cref="IDispatchIndexGrain.Open"/>,
/// which lets a request go once it is closed). Bounded by a month's requests, or by those open at once.
/// </summary>
public sealed class DispatchIndexGrain(
    [PersistentState("dispatch-index", StorageNames.Main)] IPersistentState<DispatchIndexState> store) : Grain, IDispatchIndexGrain
{
    public async Task Put(DispatchSummary summary)
    {
        var requests = store.State.Requests;
        if (this.GetPrimaryKeyString() == IDispatchIndexGrain.Open && !summary.IsOpen)
        {
            if (requests.Remove(summary.Id))
            {
                await store.WriteStateAsync();
            }

            return;
        }

        if (!requests.TryGetValue(summary.Id, out var known) || known != summary)
        {
            requests[summary.Id] = summary;
            await store.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<DispatchSummary>> List() =>
        Task.FromResult<IReadOnlyList<DispatchSummary>>([.. store.State.Requests.Values.OrderByDescending(r => r.ReceivedAt)]);
}
