using CmacLive.Geo;
using CmacLive.Live;
using CmacLive.Storage;

namespace CmacLive.HazardAreas;

[GenerateSerializer, Alias("cmac.HazardAreaState")]
public sealed class HazardAreaState
{
    [Id(0)] public HazardAreaDefinition? Definition { get; set; }
    [Id(1)] public HazardAreaStatus Status { get; set; }
}

/// <summary>One hazard area: its definition and land-release status.</summary>
public sealed class HazardAreaGrain(
    [PersistentState("area", StorageNames.Main)] IPersistentState<HazardAreaState> store,
    HazardAreaCatalog catalog) : Grain, IHazardAreaGrain
{
    public async Task<HazardAreaView> Define(HazardAreaDefinition definition)
    {
        var isNew = store.State.Definition is null;
        store.State.Definition = definition;
        if (isNew || store.State.Status is HazardAreaStatus.Suspected or HazardAreaStatus.Confirmed)
        {
            // Before clearance starts, the status follows the survey type; later steps come from the lifecycle.
            store.State.Status = definition.Type == HazardAreaType.Cha ? HazardAreaStatus.Confirmed : HazardAreaStatus.Suspected;
        }

        await store.WriteStateAsync();
        catalog.Apply(definition.Code, HazardAreaGeometry.FromWkb(definition.GeometryWkb));
        await GrainFactory.GetGrain<IHazardAreaDirectoryGrain>(0).Touch(definition.Code);
        var view = ToView(definition);
        await GrainFactory.GetGrain<IOpsFeedGrain>(0).Publish(view);
        return view;
    }

    public Task<HazardAreaView?> GetView() =>
        Task.FromResult(store.State.Definition is { } definition ? ToView(definition) : null);

    public Task<HazardAreaDefinition?> GetDefinition() => Task.FromResult(store.State.Definition);

    private HazardAreaView ToView(HazardAreaDefinition definition) => new()
    {
        Code = definition.Code,
        Type = definition.Type,
        Status = store.State.Status,
        AreaM2 = Math.Round(definition.AreaM2, 1),
    };
}
