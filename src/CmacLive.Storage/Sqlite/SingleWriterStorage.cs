using Orleans.Storage;

namespace CmacLive.Storage.Sqlite;

/// <summary>Grain state writes on SQLite go through the silo's <see cref="SqliteWriteGate"/>; reads go straight through (WAL readers never wait).</summary>
public sealed class SingleWriterStorage(IGrainStorage inner, SqliteWriteGate gate) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));
}
