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
