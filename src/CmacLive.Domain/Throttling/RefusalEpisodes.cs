using System.Collections.Concurrent;

namespace CmacLive.Throttling;

/// <summary>
/// Tells which refusal starts an episode, so a limit is logged once per episode and not once per packet: a key's
/// refusal starts one when the key had none for <c>quiet</c>; the refusals in between are only counted, and the next
/// episode's first refusal reports how many there were. At most <c>capacity</c> keys are remembered; when full,
/// keys quiet for longest go first, and a key that finds no room is counted but not logged.
/// </summary>
public sealed class RefusalEpisodes(TimeSpan quiet, int capacity, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Episode> _keys = new(StringComparer.Ordinal);

    private sealed class Episode
    {
        public readonly Lock Gate = new();
        public long LastTicks = long.MinValue / 2; // UTC ticks; read outside the lock only whole (a long)
        public long Unlogged;
    }

    /// <summary>True when this refusal starts an episode; <paramref name="unloggedBefore"/> is how many refusals of the key went unlogged before it.</summary>
    public bool Starts(string key, out long unloggedBefore)
    {
        unloggedBefore = 0;
        var now = time.GetUtcNow();
        if (!_keys.TryGetValue(key, out var episode))
        {
            if (_keys.Count >= capacity)
            {
                MakeRoom(now);
                if (_keys.Count >= capacity)
                {
                    return false;
                }
            }

            episode = _keys.GetOrAdd(key, _ => new Episode());
        }

        lock (episode.Gate)
        {
            var starts = now.UtcTicks - episode.LastTicks >= quiet.Ticks;
            Volatile.Write(ref episode.LastTicks, now.UtcTicks);
            if (starts)
            {
                unloggedBefore = episode.Unlogged;
                episode.Unlogged = 0;
            }
            else
            {
                episode.Unlogged++;
            }

            return starts;
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        foreach (var (key, episode) in _keys)
        {
            if (now.UtcTicks - Volatile.Read(ref episode.LastTicks) >= quiet.Ticks)
            {
                _keys.TryRemove(key, out _);
            }
        }
    }
}
