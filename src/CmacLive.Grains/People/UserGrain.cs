using System.Security.Cryptography;
using CmacLive.Storage;

namespace CmacLive.People;

/// <summary>
/// One user: profile, roles, password hash, API keys. Every change is stored before it is answered; the
/// stamp changes with the password, with disabling and enabling, and with deletion, so tokens issued before
/// stop being accepted once a silo reads the user again (within a few seconds).
/// </summary>
public sealed class UserGrain(
    [PersistentState("user", StorageNames.Main)] IPersistentState<UserState> store,
    TimeProvider time) : Grain, IUserGrain
{
    /// <summary>More keys than this for one user is a mistake, not an integration.</summary>
    public const int MaxKeys = 50;

    private UserState State => store.State;

    private bool Exists => State.Stamp is not null;

    public Task<UserView?> Get() => Task.FromResult(Exists ? View() : null);

    public async Task<UserView> Put(UserChange change)
    {
        var now = time.GetUtcNow();
        if (!Exists)
        {
            // Listed before it exists, so a listing never misses a user (a listed name without a user is skipped).
            await Directory().Add(Username);
            State.CreatedAt = now;
            State.Keys = [];
            State.Stamp = NewStamp();
        }
        else if (change.PasswordHash is not null || (change.Disabled is { } disabled && disabled != State.Disabled))
        {
            State.Stamp = NewStamp();
        }

        State.DisplayName = change.DisplayName;
        State.Roles = change.Roles;
        State.Disabled = change.Disabled ?? State.Disabled;
        State.PasswordHash = change.PasswordHash ?? State.PasswordHash;
        State.UpdatedAt = now;
        await store.WriteStateAsync();
        return View();
    }

    public async Task<bool> Delete()
    {
        if (!Exists)
        {
            return false;
        }

        await store.ClearStateAsync();
        store.State = new UserState();
        await Directory().Remove(Username);
        return true;
    }

    public Task<UserCredentials?> GetCredentials() =>
        Task.FromResult(Exists ? new UserCredentials { PasswordHash = State.PasswordHash, Access = Access() } : null);

    public Task<UserAccess?> GetAccess() => Task.FromResult(Exists ? Access() : null);

    public async Task<ApiKeyView?> AddKey(ApiKeyGrant grant)
    {
        if (!Exists)
        {
            return null;
        }

        if (State.Keys.Any(k => k.Access.Name == grant.Name))
        {
            throw new PeopleConflictException($"user '{Username}' already has a key named '{grant.Name}'; revoke it first");
        }

        if (State.Keys.Count >= MaxKeys)
        {
            throw new PeopleConflictException($"user '{Username}' has {MaxKeys} keys, the most one user may hold; revoke one first");
        }

        await GrainFactory.GetGrain<IApiKeyGrain>(grant.Id).Bind(Username);
        var key = new StoredApiKey
        {
            Access = new ApiKeyAccess { Id = grant.Id, Name = grant.Name, Hash = grant.Hash, Roles = grant.Roles, ExpiresAt = grant.ExpiresAt },
            CreatedAt = time.GetUtcNow(),
        };
        State.Keys.Add(key);
        State.UpdatedAt = key.CreatedAt;
        await store.WriteStateAsync();
        return ToView(key);
    }

    public async Task<bool> RevokeKey(string name)
    {
        if (!Exists || State.Keys.RemoveAll(k => k.Access.Name == name) == 0)
        {
            return false;
        }

        State.UpdatedAt = time.GetUtcNow();
        await store.WriteStateAsync();
        return true;
    }

    private string Username => this.GetPrimaryKeyString();

    private IUserDirectoryGrain Directory() => GrainFactory.GetGrain<IUserDirectoryGrain>(0);

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private UserAccess Access() => new()
    {
        Username = Username,
        DisplayName = State.DisplayName ?? Username,
        Roles = State.Roles,
        Stamp = State.Stamp!,
        Disabled = State.Disabled,
        Keys = [.. State.Keys.Select(k => k.Access)],
    };

    private UserView View() => new()
    {
        Username = Username,
        DisplayName = State.DisplayName ?? Username,
        Roles = State.Roles,
        Disabled = State.Disabled,
        HasPassword = State.PasswordHash is not null,
        CreatedAt = State.CreatedAt,
        UpdatedAt = State.UpdatedAt,
        Keys = [.. State.Keys.Select(ToView)],
    };

    private static ApiKeyView ToView(StoredApiKey key) => new()
    {
        Name = key.Access.Name,
        Roles = key.Access.Roles,
        ExpiresAt = key.Access.ExpiresAt,
        CreatedAt = key.CreatedAt,
    };
}
