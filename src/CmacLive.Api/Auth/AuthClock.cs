namespace CmacLive.Api.Auth;

/// <summary>
/// The clock of tokens, keys and sign-in back-off: a keyed <see cref="TimeProvider"/>, the system clock unless a
/// test registers its own under <see cref="Key"/> first (so token expiry is tested without waiting a shift).
/// </summary>
public static class AuthClock
{
    public const string Key = "cmaclive-auth";
}
