using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;

namespace CmacLive.Live;

/// <summary>Updates for the dashboards, batched by a silo's feed and delivered to every silo's hub.</summary>
[GenerateSerializer, Immutable, Alias("cmac.OpsUpdateBatch")]
public sealed record OpsUpdateBatch
{
    [Id(0)] public IReadOnlyList<AssetStatus> Assets { get; init; } = [];
    [Id(1)] public IReadOnlyList<HazardAreaView> HazardAreas { get; init; } = [];
    [Id(2)] public IReadOnlyList<AlertUpdate> Alerts { get; init; } = [];
    [Id(3)] public IReadOnlyList<DispatchRequestView> Requests { get; init; } = [];

    /// <summary>Assets' movements (entered or left a hazard area), in the order they happened; never coalesced.</summary>
    [Id(4)] public IReadOnlyList<AssetEvent> AssetEvents { get; init; } = [];
}
