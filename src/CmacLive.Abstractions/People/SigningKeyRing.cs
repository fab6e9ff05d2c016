namespace CmacLive.People;

/// <summary>One signing key: its id (the token's <c>kid</c>), the secret, and from when it signs.</summary>
[GenerateSerializer, Immutable, Alias("cmac.SigningKey")]
public sealed record SigningKey
{
    [Id(0)] public required string Kid { get; init; }
    [Id(1)] public required byte[] Secret { get; init; }
    [Id(2)] public required DateTimeOffset NotBefore { get; init; }
    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Every key a token may be signed with, oldest first.</summary>
[GenerateSerializer, Immutable, Alias("cmac.SigningKeyRing")]
public sealed record SigningKeyRing
{
    [Id(0)] public required IReadOnlyList<SigningKey> Keys { get; init; }
}

/// <summary>How keys are rotated and kept.</summary>
[GenerateSerializer, Immutable, Alias("cmac.SigningPolicy")]
public sealed record SigningPolicy
{
    /// <summary>A key older than this is replaced on the next read.</summary>
    [Id(0)] public required TimeSpan RotateAfter { get; init; }

    /// <summary>How long a replaced key stays to validate the tokens it signed (at least the token lifetime).</summary>
    [Id(1)] public required TimeSpan RetainAfterReplaced { get; init; }

    /// <summary>How long a new key waits before it signs, so every silo has read it by then.</summary>
    [Id(2)] public required TimeSpan Propagation { get; init; }
}
