namespace CmacLive.Storage.Sqlite;

/// <summary>
/// SQLite admits one writer at a time, and a writer that finds the file locked waits in SQLite's busy
/// handler, holding its thread and sleeping in steps of up to 100 ms. Every writer of the silo's SQLite
/// file (grain state, history) queues here instead, asynchronously and one at a time.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> write)
    {
        await _writer.WaitAsync();
        try
        {
            return await write();
        }
        finally
        {
            _writer.Release();
        }
    }

    public Task RunAsync(Func<Task> write) => RunAsync(async () =>
    {
        await write();
        return true;
    });

    public void Dispose() => _writer.Dispose();
}
