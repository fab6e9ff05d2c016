using CmacLive.Storage;

namespace CmacLive.Assets;

/// <summary>Keeps an asset id's kind, and its unit's roster in step with the asset's unit.</summary>
public sealed class AssetRegistrationGrain(
    [PersistentState("registration", StorageNames.Main)] IPersistentState<AssetRegistrationState> store)
    : Grain, IAssetRegistrationGrain
{
    public async Task<AssetStatus> Register(AssetProfile profile)
    {
        var id = this.GetPrimaryKeyString();
        if (store.State.Kind is { } kind && kind != profile.Kind)
        {
            throw new AssetKindConflictException(id, kind, profile.Kind);
        }

        var status = await AssetGrains.Get(GrainFactory, profile.Kind, id).Configure(profile);
        var previousUnit = store.State.Unit;
        if (store.State.Kind is null || previousUnit != profile.Unit)
        {
            var asset = new AssetRef { Id = id, Kind = profile.Kind };
            await GrainFactory.GetGrain<IUnitDirectoryGrain>(0).Add(profile.Unit);
            await GrainFactory.GetGrain<IUnitRosterGrain>(profile.Unit).Add(asset);
            if (previousUnit is not null && previousUnit != profile.Unit)
            {
                await GrainFactory.GetGrain<IUnitRosterGrain>(previousUnit).Remove(id);
            }

            store.State.Kind = profile.Kind;
            store.State.Unit = profile.Unit;
            await store.WriteStateAsync();
        }

        if (!store.State.Capabilities.SequenceEqual(profile.Capabilities))
        {
            var asset = new AssetRef { Id = id, Kind = profile.Kind };
            foreach (var added in profile.Capabilities.Except(store.State.Capabilities))
            {
                await GrainFactory.GetGrain<ICapabilityRosterGrain>(added).Add(asset);
            }

            foreach (var removed in store.State.Capabilities.Except(profile.Capabilities))
            {
                await GrainFactory.GetGrain<ICapabilityRosterGrain>(removed).Remove(id);
            }

            store.State.Capabilities = [.. profile.Capabilities];
            await store.WriteStateAsync();
        }

        return status;
    }

    public Task<AssetRef?> Find() => Task.FromResult(
        store.State.Kind is { } kind ? new AssetRef { Id = this.GetPrimaryKeyString(), Kind = kind } : null);
}
