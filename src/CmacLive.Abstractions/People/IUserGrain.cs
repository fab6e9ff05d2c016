namespace CmacLive.People;

/// <summary>
/// A person (or an integration's account) who signs in: display name, roles, password hash and API keys.
/// Keyed by the user name in lower case. Password hashing and checking happen outside the grain (the
/// deliberately slow hash never runs on the grain scheduler); the grain only keeps the hash.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>The user as an administrator sees it (never a password or a hash), or null.</summary>
    Task<UserView?> Get();

    /// <summary>Creates the user or changes it; a null <see cref="UserChange.PasswordHash"/> keeps the password.</summary>
    Task<UserView> Put(UserChange change);

    /// <summary>Removes the user and its API keys; false when there was none. Its tokens stop at once.</summary>
    Task<bool> Delete();

    /// <summary>What sign-in checks: the password hash and the user's access, or null when there is no such user.</summary>
    Task<UserCredentials?> GetCredentials();

    /// <summary>What a silo needs to accept the user's tokens and keys (no password hash), or null.</summary>
    Task<UserAccess?> GetAccess();

    /// <summary>Adds an API key; null when there is no such user. A key of that name already: <see cref="PeopleConflictException"/>.</summary>
    Task<ApiKeyView?> AddKey(ApiKeyGrant grant);

    /// <summary>Revokes the named key; false when the user has no key of that name.</summary>
    Task<bool> RevokeKey(string name);
}
