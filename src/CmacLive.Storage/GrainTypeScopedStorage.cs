using Orleans.Storage;

namespace CmacLive.Storage;

/// <summary>
/// Stores each grain's state under its full grain id (<c>type/key</c>) rather than its bare key.
/// Orleans ADO.NET keys rows by state name and key only, and reads a key made of hex digits as a number;
/// device serials such as <c>00A1B2</c> and <c>A1B2</c> would then share a row, as would a team and a dog
/// with the same id. A full grain id always contains a '/', so it is always stored as a distinct string key.
/// </summary>
public sealed class GrainTypeScopedStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, Scoped(grainId), grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, Scoped(grainId), grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, Scoped(grainId), grainState);

    public static GrainId Scoped(GrainId grainId) => GrainId.Create(grainId.Type, IdSpan.Create(grainId.ToString()));
}
