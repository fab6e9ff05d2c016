using CmacLive.Storage;

namespace CmacLive.People;

/// <summary>An API key id's owner, written once when the key is made.</summary>
public sealed class ApiKeyGrain([PersistentState("api-key", StorageNames.Main)] IPersistentState<ApiKeyState> store) : Grain, IApiKeyGrain
{
    public async Task Bind(string username)
    {
        if (store.State.Owner == username)
        {
            return;
        }

        if (store.State.Owner is not null)
        {
            throw new PeopleConflictException("that key id is taken");
        }

        store.State.Owner = username;
        await store.WriteStateAsync();
    }

    public Task<string?> Owner() => Task.FromResult(store.State.Owner);
}
