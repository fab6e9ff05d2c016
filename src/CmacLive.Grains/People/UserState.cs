namespace CmacLive.People;

[GenerateSerializer, Alias("cmac.UserState")]
public sealed class UserState
{
    [Id(0)] public string? DisplayName { get; set; }
    [Id(1)] public string[] Roles { get; set; } = [];
    [Id(2)] public string? PasswordHash { get; set; }
    [Id(3)] public bool Disabled { get; set; }

    /// <summary>Null while the user does not exist; a new random value whenever its tokens must stop.</summary>
    [Id(4)] public string? Stamp { get; set; }
    [Id(5)] public DateTimeOffset CreatedAt { get; set; }
    [Id(6)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(7)] public List<StoredApiKey> Keys { get; set; } = [];
}
