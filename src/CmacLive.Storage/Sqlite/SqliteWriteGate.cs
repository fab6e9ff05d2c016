namespace CmacLive.Storage.Sqlite;

/// <summary>
/// SQLite admits one writer at a time, and a writer that finds the file locked waits in SQLite's busy
/// handler, holding its thread and sleeping in steps of up to 100 ms. Every writer of the silo's SQLite
/// file (grain state, reminders, history, audit) queues here instead, asynchronously and one at a time.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task<T> RunAsync<T>(Func<Task<T>> write) => RunAsync(write, CancellationToken.None);

    /// <summary>Runs <paramref name="write"/> alone; a cancellation while still queued leaves the queue without writing.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            _writer.Release();
        }
    }

    public Task RunAsync(Func<Task> write) => RunAsync(write, CancellationToken.None);

    public Task RunAsync(Func<Task> write, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        await write();
        return true;
    }, cancellationToken);

    public void Dispose() => _writer.Dispose();
}
