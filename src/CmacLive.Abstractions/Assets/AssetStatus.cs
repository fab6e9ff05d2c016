namespace CmacLive.Assets;

/// <summary>The live status of one asset, as REST answers it and the hub pushes it (contract v1).</summary>
[GenerateSerializer, Immutable, Alias("cmac.AssetStatus")]
public sealed record AssetStatus
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required AssetKind Kind { get; init; }
    [Id(2)] public required string Name { get; init; }
    [Id(3)] public required string Unit { get; init; }
    [Id(4)] public Position? Position { get; init; }
    [Id(5)] public AssetState State { get; init; }
    [Id(6)] public bool Online { get; init; }
    [Id(7)] public int? Battery { get; init; }
    [Id(8)] public DateTimeOffset? LastSeen { get; init; }
    [Id(9)] public string? HazardArea { get; init; }

    /// <summary>The hazard area the asset is assigned to (its task), or null.</summary>
    [Id(10)] public string? TaskArea { get; init; }

    /// <summary>What the asset can do (e.g. <c>eod</c>), as its profile says.</summary>
    [Id(11)] public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>The dispatch request the team is assigned to, or null.</summary>
    [Id(12)] public string? Dispatch { get; init; }
}
