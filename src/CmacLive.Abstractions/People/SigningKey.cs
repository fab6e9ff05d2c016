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
