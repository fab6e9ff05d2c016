using CmacLive.People;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CmacLive.Api.Auth;

/// <summary>
/// This silo's copy of the cluster's token signing keys (<see cref="ISigningKeyRingGrain"/>), read at start and
/// every <see cref="Refresh"/>. A new key signs only after <see cref="Propagation"/>, by when every silo has read it.
/// </summary>
public sealed partial class SigningKeys(
    IGrainFactory grains,
    IOptions<AuthOptions> options,
    [FromKeyedServices(AuthClock.Key)] TimeProvider time,
    ILogger<SigningKeys> logger) : BackgroundService
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Propagation = TimeSpan.FromSeconds(30);

    private volatile Loaded? _loaded;

    private sealed record Loaded(SigningKeyRing Ring, IReadOnlyList<SymmetricSecurityKey> Keys);

    public SigningPolicy Policy { get; } = new()
    {
        RotateAfter = options.Value.SigningKeyRotation,
        RetainAfterReplaced = options.Value.TokenLifetime + TimeSpan.FromHours(1),
        Propagation = Propagation,
    };

    public bool IsLoaded => _loaded is not null;

    /// <summary>Every key a valid token may name (for validation).</summary>
    public IEnumerable<SecurityKey> Resolve(string? kid) =>
        _loaded?.Keys.Where(k => kid is null || k.KeyId == kid) ?? [];

    /// <summary>The key to sign with now: the newest that may sign.</summary>
    public async ValueTask<SymmetricSecurityKey> ForSigningAsync()
    {
        var loaded = _loaded ?? await LoadAsync(CancellationToken.None);
        var now = time.GetUtcNow();
        var ring = loaded.Ring.Keys;
        var index = ring.Count - 1;
        while (index > 0 && ring[index].NotBefore > now)
        {
            index--;
        }

        return loaded.Keys[index];
    }

    public async Task<SigningKeyRing> RotateAsync(bool retireOld)
    {
        var ring = await grains.GetGrain<ISigningKeyRingGrain>(0).Rotate(Policy, retireOld);
        Keep(ring);
        return ring;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await LoadAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(ex);
            }

            try
            {
                await Task.Delay(_loaded is null ? TimeSpan.FromSeconds(1) : Refresh, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<Loaded> LoadAsync(CancellationToken cancellationToken) =>
        Keep(await grains.GetGrain<ISigningKeyRingGrain>(0).Get(Policy).WaitAsync(cancellationToken));

    private Loaded Keep(SigningKeyRing ring)
    {
        var loaded = new Loaded(ring, [.. ring.Keys.Select(k => new SymmetricSecurityKey(k.Secret) { KeyId = k.Kid })]);
        _loaded = loaded;
        return loaded;
    }

    [LoggerMessage(LogLevel.Warning, "Could not read the token signing keys; retrying")]
    private partial void LogRefreshFailed(Exception ex);
}
