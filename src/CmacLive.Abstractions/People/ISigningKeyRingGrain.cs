namespace CmacLive.People;

/// <summary>
/// The keys that sign the cluster's access tokens, kept in the cluster's storage so every silo validates
/// every silo's tokens. One per cluster (key 0). Created on first use, rotated on demand or when the newest
/// key is older than the policy says; a retired key stays until no token it signed can still be valid.
/// </summary>
public interface ISigningKeyRingGrain : IGrainWithIntegerKey
{
    Task<SigningKeyRing> Get(SigningPolicy policy);

    /// <summary>
    /// Adds a new key that signs from <see cref="SigningPolicy.Propagation"/> from now (every silo has it by then). With
    /// <paramref name="retireOld"/> (a key may have leaked) the new key signs at once and every older key is dropped:
    /// every token made before stops, and everyone signs in again.
    /// </summary>
    Task<SigningKeyRing> Rotate(SigningPolicy policy, bool retireOld = false);
}
