namespace CmacLive.People;

[GenerateSerializer, Immutable, Alias("cmac.StoredApiKey")]
public sealed record StoredApiKey
{
    [Id(0)] public required ApiKeyAccess Access { get; init; }
    [Id(1)] public required DateTimeOffset CreatedAt { get; init; }
}
