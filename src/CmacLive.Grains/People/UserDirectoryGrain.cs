using CmacLive.Storage;

namespace CmacLive.People;

/// <summary>Every user name, kept by the user grains (one-way: this grain never calls them).</summary>
public sealed class UserDirectoryGrain(
    [PersistentState("users", StorageNames.Main)] IPersistentState<UserDirectoryState> store,
    TimeProvider time) : Grain, IUserDirectoryGrain
{
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromMinutes(1);

    private DateTimeOffset? _claimedAt;

    public async Task Add(string username)
    {
        _claimedAt = null;
        if (store.State.Usernames.Add(username) | !store.State.HadUsers)
        {
            store.State.HadUsers = true;
            await store.WriteStateAsync();
        }
    }

    public async Task Remove(string username)
    {
        if (store.State.Usernames.Remove(username))
        {
            await store.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. store.State.Usernames]);

    public Task<bool> ClaimFirstUser()
    {
        var now = time.GetUtcNow();
        if (store.State.HadUsers || store.State.Usernames.Count > 0 || (_claimedAt is { } claimed && now - claimed < ClaimLifetime))
        {
            return Task.FromResult(false);
        }

        _claimedAt = now;
        return Task.FromResult(true);
    }
}
