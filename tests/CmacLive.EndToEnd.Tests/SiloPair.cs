using CmacLive.Testing;

namespace CmacLive.EndToEnd.Tests;

/// <summary>Two silo processes of one cluster on a fresh PostgreSQL database, both active in its membership.</summary>
public sealed class SiloPair : IAsyncDisposable
{
    private SiloPair(string database, SiloProcess a, SiloProcess b)
    {
        Database = database;
        A = a;
        B = b;
    }

    public string Database { get; }

    public SiloProcess A { get; }

    public SiloProcess B { get; }

    public static async Task<SiloPair> StartAsync(string databasePrefix, params string[] extra)
    {
        var database = await TestPostgres.CreateDatabaseAsync(databasePrefix);
        var a = await SiloProcess.StartOnPostgresAsync("A", database, extra);
        try
        {
            var b = await SiloProcess.StartOnPostgresAsync("B", database, extra);
            var pair = new SiloPair(database, a, b);
            try
            {
                await SiloEndpoints.WaitForActiveSilosAsync(database, 2, TimeSpan.FromSeconds(60));
                return pair;
            }
            catch
            {
                await pair.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
