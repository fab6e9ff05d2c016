using System.Collections.Concurrent;
using System.Diagnostics;
using CmacLive.People;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Api.Auth;

/// <summary>
/// What this silo knows of each signed-in user (roles, disabled, stamp, API keys), read from the user's grain at
/// most every <see cref="AuthOptions.AccessRefresh"/>: tokens are checked without a grain call per request, and a
/// deleted or disabled user, a changed password or a revoked key stops working everywhere within that time.
/// When the grain cannot be reached, what was read in the last 5 s still serves; after that the caller is told
/// <see cref="AccessUnavailableException"/> (503), never let in on old knowledge.
/// </summary>
public sealed partial class AccessCache(IGrainFactory grains, IOptions<AuthOptions> options, ILogger<AccessCache> logger)
{
    private const int MaxEntries = 20_000;
    private static readonly TimeSpan StaleLimit = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _refresh = options.Value.AccessRefresh;
    private readonly ConcurrentDictionary<string, Entry> _users = new(StringComparer.Ordinal);

    // A key id's owner never changes once bound: kept while the silo runs (bounded).
    private readonly ConcurrentDictionary<string, string> _keyOwners = new(StringComparer.Ordinal);

    private sealed record Entry(UserAccess? Access, long ReadAt);

    public async ValueTask<UserAccess?> GetAsync(string username)
    {
        var now = Stopwatch.GetTimestamp();
        _users.TryGetValue(username, out var entry);
        if (entry is not null && Stopwatch.GetElapsedTime(entry.ReadAt, now) < _refresh)
        {
            return entry.Access;
        }

        try
        {
            var access = await grains.GetGrain<IUserGrain>(username).GetAccess();
            if (_users.Count >= MaxEntries)
            {
                _users.Clear();
            }

            _users[username] = new Entry(access, now);
            return access;
        }
        catch (Exception ex) when (entry is not null && Stopwatch.GetElapsedTime(entry.ReadAt, now) < StaleLimit)
        {
            LogStale(ex, username);
            return entry.Access;
        }
        catch (Exception ex)
        {
            throw new AccessUnavailableException($"user '{username}' could not be read", ex);
        }
    }

    /// <summary>The user an API key id belongs to, or null.</summary>
    public async ValueTask<string?> KeyOwnerAsync(string keyId)
    {
        if (_keyOwners.TryGetValue(keyId, out var owner))
        {
            return owner;
        }

        try
        {
            owner = await grains.GetGrain<IApiKeyGrain>(keyId).Owner();
        }
        catch (Exception ex)
        {
            throw new AccessUnavailableException("an API key's owner could not be read", ex);
        }

        if (owner is not null)
        {
            if (_keyOwners.Count >= MaxEntries)
            {
                _keyOwners.Clear();
            }

            _keyOwners[keyId] = owner;
        }

        return owner;
    }

    /// <summary>Forgets what was read of the user, after a change made through this silo.</summary>
    public void Forget(string username) => _users.TryRemove(username, out _);

    [LoggerMessage(LogLevel.Warning, "Could not read user {Username} again; what was read in the last 5 s still serves")]
    private partial void LogStale(Exception ex, string username);
}
