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

    public static Task<SiloPair> StartAsync(string databasePrefix, params string[] extra) => StartAsync(databasePrefix, extra, extra);

    /// <summary>Two silos with settings of their own (a certificate each, say) besides the database.</summary>
    public static async Task<SiloPair> StartAsync(string databasePrefix, string[] extraA, string[] extraB)
    {
        var database = await TestPostgres.CreateDatabaseAsync(databasePrefix);
        var a = await SiloProcess.StartOnPostgresAsync("A", database, extraA);
        try
        {
            var b = await SiloProcess.StartOnPostgresAsync("B", database, extraB);
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
