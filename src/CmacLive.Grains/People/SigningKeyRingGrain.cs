using System.Security.Cryptography;
using CmacLive.Storage;

namespace CmacLive.People;

/// <summary>The cluster's token signing keys: created on first use, rotated by age or on demand, retired keys kept while their tokens may live.</summary>
public sealed class SigningKeyRingGrain(
    [PersistentState("signing-keys", StorageNames.Main)] IPersistentState<SigningKeyRingState> store,
    TimeProvider time) : Grain, ISigningKeyRingGrain
{
    public async Task<SigningKeyRing> Get(SigningPolicy policy)
    {
        var now = time.GetUtcNow();
        var changed = Prune(now, policy);
        if (store.State.Keys.Count == 0)
        {
            store.State.Keys.Add(NewKey(now, now)); // the very first key signs at once: no silo has tokens yet
            changed = true;
        }
        else if (now - store.State.Keys[^1].CreatedAt >= policy.RotateAfter)
        {
            store.State.Keys.Add(NewKey(now, now + policy.Propagation));
            changed = true;
        }

        if (changed)
        {
            await store.WriteStateAsync();
        }

        return Ring();
    }

    public async Task<SigningKeyRing> Rotate(SigningPolicy policy, bool retireOld = false)
    {
        var now = time.GetUtcNow();
        Prune(now, policy);
        if (retireOld)
        {
            store.State.Keys.Clear();
        }

        store.State.Keys.Add(NewKey(now, store.State.Keys.Count == 0 ? now : now + policy.Propagation));
        await store.WriteStateAsync();
        return Ring();
    }

    /// <summary>Drops keys replaced (a later key signs) longer ago than the policy keeps them.</summary>
    private bool Prune(DateTimeOffset now, SigningPolicy policy)
    {
        var keys = store.State.Keys;
        var drop = 0;
        while (drop < keys.Count - 1 && keys[drop + 1].NotBefore + policy.RetainAfterReplaced < now)
        {
            drop++;
        }

        keys.RemoveRange(0, drop);
        return drop > 0;
    }

    private SigningKeyRing Ring() => new() { Keys = [.. store.State.Keys] };

    private static SigningKey NewKey(DateTimeOffset now, DateTimeOffset notBefore) => new()
    {
        Kid = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(),
        Secret = RandomNumberGenerator.GetBytes(32),
        NotBefore = notBefore,
        CreatedAt = now,
    };
}
