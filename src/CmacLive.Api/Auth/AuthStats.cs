namespace CmacLive.Api.Auth;

/// <summary>This silo's counts of sign-ins and refusals since start, for <c>GET /api/auth/stats</c>.</summary>
public sealed class AuthStats
{
    private long _signIns;
    private long _signInsFailed;
    private long _signInsThrottled;
    private long _refused;
    private long _hubClosed;
    private long _shed;
    private long _heldBack;

    /// <summary>Requests answered 429 because their address presented too many refused credentials.</summary>
    public long AddressesHeldBack => Interlocked.Read(ref _heldBack);

    public void AddressHeldBack() => Interlocked.Increment(ref _heldBack);

    /// <summary>Sign-ins answered 503 because too many password checks were waiting.</summary>
    public long SignInsShed => Interlocked.Read(ref _shed);

    public void SignInShed() => Interlocked.Increment(ref _shed);

    public long SignIns => Interlocked.Read(ref _signIns);

    public long SignInsFailed => Interlocked.Read(ref _signInsFailed);

    public long SignInsThrottled => Interlocked.Read(ref _signInsThrottled);

    /// <summary>Requests answered 401: no credential, or one that does not hold.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Hub connections closed because their sign-in no longer held.</summary>
    public long HubConnectionsClosed => Interlocked.Read(ref _hubClosed);

    public void SignedIn() => Interlocked.Increment(ref _signIns);

    public void SignInFailed() => Interlocked.Increment(ref _signInsFailed);

    public void SignInThrottled() => Interlocked.Increment(ref _signInsThrottled);

    public void RefusedOne() => Interlocked.Increment(ref _refused);

    public void HubConnectionClosed() => Interlocked.Increment(ref _hubClosed);
}
