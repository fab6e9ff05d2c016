namespace CmacLive.People;

/// <summary>An API key as listed: never the key or its hash.</summary>
[GenerateSerializer, Immutable, Alias("cmac.ApiKeyView")]
public sealed record ApiKeyView
{
    [Id(0)] public required string Name { get; init; }

    /// <summary>The key's roles; null: the user's own.</summary>
    [Id(1)] public string[]? Roles { get; init; }
    [Id(2)] public DateTimeOffset? ExpiresAt { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
}
