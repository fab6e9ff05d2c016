using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CmacLive.Api.Auth;

/// <summary>
/// Failed sign-ins per user name on this silo: after <see cref="AuthOptions.SignInFailureLimit"/> failures within a
/// minute, the name is refused for <see cref="AuthOptions.SignInBackoff"/>, twice as long after each further
/// refusal, at most <see cref="AuthOptions.SignInMaxBackoff"/>; a success forgets it. Names that exist and names that
/// do not are treated alike, so the refusal says nothing about which exist. At most
/// <see cref="AuthOptions.SignInTrackedNames"/> names are remembered.
/// </summary>
public sealed class SignInThrottle(IOptions<AuthOptions> options, [FromKeyedServices(AuthClock.Key)] TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly AuthOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Record> _names = new(StringComparer.Ordinal);

    private sealed class Record
    {
        public readonly Lock Gate = new();
        public readonly Queue<DateTimeOffset> Failures = new();
        public DateTimeOffset BlockedUntil;
        public TimeSpan NextBackoff;
        public DateTimeOffset LastSeen;
    }

    private long _refused;

    /// <summary>Sign-ins refused during a back-off, since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>
    /// Starts a sign-in for the name: how long it is still refused, or null when it may try. An attempt counts as a
    /// failure from here on, before its password is checked, so attempts sent at once cannot slip past the limit
    /// while the slow checks run; <see cref="Succeeded"/> forgets them.
    /// </summary>
    public TimeSpan? Begin(string username)
    {
        if (_names.Count >= _options.SignInTrackedNames && !_names.ContainsKey(username))
        {
            Forget();
        }

        var record = _names.GetOrAdd(username, _ => new Record { NextBackoff = _options.SignInBackoff });
        var now = time.GetUtcNow();
        lock (record.Gate)
        {
            if (record.BlockedUntil > now)
            {
                Interlocked.Increment(ref _refused);
                return record.BlockedUntil - now;
            }

            record.LastSeen = now;
            record.Failures.Enqueue(now);
            while (record.Failures.Count > 0 && now - record.Failures.Peek() > Window)
            {
                record.Failures.Dequeue();
            }

            if (record.Failures.Count >= _options.SignInFailureLimit)
            {
                record.BlockedUntil = now + record.NextBackoff;
                record.NextBackoff = TimeSpan.FromTicks(Math.Min(record.NextBackoff.Ticks * 2, _options.SignInMaxBackoff.Ticks));
                record.Failures.Clear();
            }

            return null;
        }
    }

    public void Succeeded(string username) => _names.TryRemove(username, out _);

    /// <summary>Makes room, down to three quarters of the limit: the names not refused now first, then the oldest.</summary>
    private void Forget()
    {
        var now = time.GetUtcNow();
        var keep = _options.SignInTrackedNames * 3 / 4;
        var oldestFirst = _names.ToArray().OrderBy(p => p.Value.BlockedUntil > now).ThenBy(p => p.Value.LastSeen);
        foreach (var (name, _) in oldestFirst.Take(Math.Max(0, _names.Count - keep)))
        {
            _names.TryRemove(name, out _);
        }
    }
}
