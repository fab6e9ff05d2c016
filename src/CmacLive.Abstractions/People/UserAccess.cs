namespace CmacLive.People;

/// <summary>
/// What a silo needs to accept a user's tokens and API keys: the roles now, whether the user is disabled,
/// the stamp its tokens must carry (a new one on every password change, disabling or re-creation), and
/// its keys' hashes. Never the password hash.
/// </summary>
[GenerateSerializer, Immutable, Alias("cmac.UserAccess")]
public sealed record UserAccess
{
    [Id(0)] public required string Username { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
    [Id(2)] public required string[] Roles { get; init; }
    [Id(3)] public required string Stamp { get; init; }
    [Id(4)] public required bool Disabled { get; init; }
    [Id(5)] public required ApiKeyAccess[] Keys { get; init; }
}

/// <summary>An API key as a silo checks it: the SHA-256 of its secret (a random 256-bit value, so a fast hash is enough).</summary>
[GenerateSerializer, Immutable, Alias("cmac.ApiKeyAccess")]
public sealed record ApiKeyAccess
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required byte[] Hash { get; init; }
    [Id(3)] public string[]? Roles { get; init; }
    [Id(4)] public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>What sign-in checks.</summary>
[GenerateSerializer, Immutable, Alias("cmac.UserCredentials")]
public sealed record UserCredentials
{
    [Id(0)] public string? PasswordHash { get; init; }
    [Id(1)] public required UserAccess Access { get; init; }
}

/// <summary>A new API key: its id, name, hash and optional roles and expiry.</summary>
[GenerateSerializer, Immutable, Alias("cmac.ApiKeyGrant")]
public sealed record ApiKeyGrant
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required byte[] Hash { get; init; }
    [Id(3)] public string[]? Roles { get; init; }
    [Id(4)] public DateTimeOffset? ExpiresAt { get; init; }
}
