namespace CmacLive.People;

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
