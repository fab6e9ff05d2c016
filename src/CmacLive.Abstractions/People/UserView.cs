namespace CmacLive.People;

/// <summary>A user as <c>GET /api/users/{username}</c> answers it: never a password or its hash.</summary>
[GenerateSerializer, Immutable, Alias("cmac.UserView")]
public sealed record UserView
{
    [Id(0)] public required string Username { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
    [Id(2)] public required string[] Roles { get; init; }
    [Id(3)] public required bool Disabled { get; init; }
    [Id(4)] public required bool HasPassword { get; init; }
    [Id(5)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public required DateTimeOffset UpdatedAt { get; init; }
    [Id(7)] public required ApiKeyView[] Keys { get; init; }
}
