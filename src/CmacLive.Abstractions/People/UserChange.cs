namespace CmacLive.People;

/// <summary>A user as an administrator sets it; the password arrives already hashed.</summary>
[GenerateSerializer, Immutable, Alias("cmac.UserChange")]
public sealed record UserChange
{
    [Id(0)] public required string DisplayName { get; init; }
    [Id(1)] public required string[] Roles { get; init; }

    /// <summary>The new password's hash, or null to keep the password (a new user without one cannot sign in with a password).</summary>
    [Id(2)] public string? PasswordHash { get; init; }

    /// <summary>A disabled user keeps its record but none of its tokens or keys works; null keeps what is stored.</summary>
    [Id(3)] public bool? Disabled { get; init; }
}
