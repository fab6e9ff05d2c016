namespace CmacLive.Api.Auth;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The break-glass bearer token with the <c>admin</c> role; generated on first start when not set.</summary>
    public string? AdminToken { get; set; }

    /// <summary>How long a signed-in user's token is valid: a shift.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>A token signing key older than this is replaced; the old one validates its tokens until they expire.</summary>
    public TimeSpan SigningKeyRotation { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a silo trusts what it last read of a user (roles, disabled, deleted, keys): a deleted user's
    /// tokens and a revoked key stop within this and a second of checking.
    /// </summary>
    public TimeSpan AccessRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Failed sign-ins for one user name within a minute before further attempts are refused (429).</summary>
    public int SignInFailureLimit { get; set; } = 10;

    /// <summary>The first refusal lasts this long; each further one twice as long, up to <see cref="SignInMaxBackoff"/>.</summary>
    public TimeSpan SignInBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan SignInMaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Refused credentials (bad tokens or keys, failed sign-ins) from one address within a minute before its requests without a valid credential answer 429.</summary>
    public int FailuresPerAddress { get; set; } = 100;

    /// <summary>How long such an address is held back.</summary>
    public TimeSpan AddressBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>User names (and addresses) whose sign-in failures a silo remembers at once (the oldest are forgotten first).</summary>
    public int SignInTrackedNames { get; set; } = 10_000;

    /// <summary>Password checks (each about 0.1 s of a core) a silo runs at once.</summary>
    public int PasswordChecksAtOnce { get; set; } = Environment.ProcessorCount;

    /// <summary>Sign-ins that may wait for a check; beyond, 503 with <c>Retry-After</c>.</summary>
    public int PasswordCheckQueue { get; set; } = 32;

    /// <summary>PBKDF2 (HMAC-SHA512) iterations for passwords: OWASP's current figure.</summary>
    public int PasswordIterations { get; set; } = 210_000;

    public OidcOptions Oidc { get; set; } = new();
}
