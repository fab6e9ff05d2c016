using CmacLive.Throttling;

namespace CmacLive.Api.Auth;

/// <summary>
/// Sign-ins per user name: after <see cref="AuthOptions.SignInFailureLimit"/> failures within a minute the name is
/// refused for <see cref="AuthOptions.SignInBackoff"/>, doubling up to <see cref="AuthOptions.SignInMaxBackoff"/>.
/// Names that exist and names that do not are treated alike, so a refusal says nothing about which exist.
/// </summary>
public sealed class SignInThrottle(Microsoft.Extensions.Options.IOptions<AuthOptions> options,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(AuthClock.Key)] TimeProvider time)
    : FailureLimiter(options.Value.SignInFailureLimit, options.Value.SignInBackoff, options.Value.SignInMaxBackoff, options.Value.SignInTrackedNames, time);
