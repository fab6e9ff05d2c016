namespace CmacLive.People;

/// <summary>What sign-in checks.</summary>
[GenerateSerializer, Immutable, Alias("cmac.UserCredentials")]
public sealed record UserCredentials
{
    [Id(0)] public string? PasswordHash { get; init; }
    [Id(1)] public required UserAccess Access { get; init; }
}
