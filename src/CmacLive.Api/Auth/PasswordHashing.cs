using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CmacLive.Api.Auth;

/// <summary>
/// Passwords hashed with ASP.NET Core Identity's hasher (PBKDF2-HMAC-SHA512, salted, <see cref="AuthOptions.PasswordIterations"/>
/// iterations). An unknown user is checked against a hash made at start, so a wrong name costs the same time as a wrong password.
/// Checks run at most <see cref="AuthOptions.PasswordChecksAtOnce"/> at a time, with at most
/// <see cref="AuthOptions.PasswordCheckQueue"/> waiting: a flood of sign-ins cannot take every thread the silo has.
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    private readonly ConcurrencyLimiter _checks;
    public const int MinLength = 10;
    public const int MaxLength = 256;

    private readonly PasswordHasher<Account> _hasher;
    private readonly string _decoy;

    public PasswordHashing(IOptions<AuthOptions> options)
    {
        _hasher = new PasswordHasher<Account>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordIterations,
        }));
        _decoy = _hasher.HashPassword(Account.Instance, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        _checks = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.PasswordChecksAtOnce,
            QueueLimit = options.Value.PasswordCheckQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Like <see cref="Verify"/>, within the limit of checks at once; null when the queue is full (the caller answers 503).</summary>
    public async Task<bool?> VerifyAsync(string? hash, string password, CancellationToken cancellationToken)
    {
        using var lease = await _checks.AcquireAsync(1, cancellationToken);
        return lease.IsAcquired ? Verify(hash, password) : null;
    }

    public void Dispose() => _checks.Dispose();

    public string Hash(string password) => _hasher.HashPassword(Account.Instance, password);

    /// <summary>True when the password matches; with no hash (unknown user), checks a decoy and answers false.</summary>
    private bool Verify(string? hash, string password)
    {
        var result = _hasher.VerifyHashedPassword(Account.Instance, hash ?? _decoy, password);
        return hash is not null && result is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
    }

    /// <summary>The hasher's user type; the hash depends on nothing of it.</summary>
    public sealed class Account
    {
        public static readonly Account Instance = new();
    }
}
