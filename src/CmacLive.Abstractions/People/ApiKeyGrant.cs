namespace CmacLive.People;

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
