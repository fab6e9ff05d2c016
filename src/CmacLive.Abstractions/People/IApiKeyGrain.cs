namespace CmacLive.People;

/// <summary>
/// Which user an API key id belongs to, so a silo can find the key's user from the key alone. Keyed by the
/// key's random id (the part of the key before its secret). Whether the key is valid is its user's to say.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Binds the id to its user, once; binding it to another user afterwards throws <see cref="PeopleConflictException"/>.</summary>
    Task Bind(string username);

    Task<string?> Owner();
}
