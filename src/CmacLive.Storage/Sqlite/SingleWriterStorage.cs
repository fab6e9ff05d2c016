using Orleans.Storage;

namespace CmacLive.Storage.Sqlite;

/// <summary>
/// SQLite admits one writer at a time, and a writer that finds the file locked waits in SQLite's busy
/// handler, holding its thread and sleeping in steps of up to 100 ms. Queueing writes here instead,
/// asynchronously and one at a time, keeps every write short and lets grains wait without a thread.
/// Reads go straight through (WAL readers never wait for the writer).
/// </summary>
public sealed class SingleWriterStorage(IGrainStorage inner) : IGrainStorage, IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _writer.WaitAsync();
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await _writer.WaitAsync();
        try
        {
            await inner.ClearStateAsync(stateName, grainId, grainState);
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose() => _writer.Dispose();
}
