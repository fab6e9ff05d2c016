namespace CmacLive.HazardAreas;

[GenerateSerializer, Immutable, Alias("cmac.HazardAreaChanges")]
public sealed record HazardAreaChanges
{
    [Id(0)] public required long Version { get; init; }
    [Id(1)] public required IReadOnlyList<string> Codes { get; init; }
}
