namespace CmacLive.People;

/// <summary>Every key a token may be signed with, oldest first.</summary>
[GenerateSerializer, Immutable, Alias("cmac.SigningKeyRing")]
public sealed record SigningKeyRing
{
    [Id(0)] public required IReadOnlyList<SigningKey> Keys { get; init; }
}
