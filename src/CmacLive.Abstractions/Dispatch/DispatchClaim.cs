using CmacLive.Assets;

namespace CmacLive.Dispatch;

/// <summary>A team's answer to a claim: its status and the devices that reported for it lately (for the downlink).</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchClaim")]
public sealed record DispatchClaim
{
    [Id(0)] public required AssetStatus Status { get; init; }
    [Id(1)] public IReadOnlyList<string> Devices { get; init; } = [];
}
