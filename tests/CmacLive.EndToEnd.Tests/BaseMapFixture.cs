namespace CmacLive.EndToEnd.Tests;

/// <summary>Two silo processes, one serving a raster and one a vector MBTiles file made for the run (<see cref="TestTileSet"/>).</summary>
public sealed class BaseMapFixture : IAsyncLifetime
{
    public TestTileSet RasterSet { get; private set; } = null!;

    public TestTileSet VectorSet { get; private set; } = null!;

    public SiloProcess Raster { get; private set; } = null!;

    public SiloProcess Vector { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var folder = TestSilo.NewDataFolder();
        RasterSet = await TestTileSet.RasterAsync(folder);
        VectorSet = await TestTileSet.VectorAsync(folder);
        var raster = StartAsync("raster-map", RasterSet.Path);
        var vector = StartAsync("vector-map", VectorSet.Path);
        try
        {
            await Task.WhenAll(raster, vector);
        }
        catch
        {
            foreach (var started in new[] { raster, vector }.Where(t => t.IsCompletedSuccessfully))
            {
                await (await started).DisposeAsync();
            }

            throw;
        }

        (Raster, Vector) = (await raster, await vector);
    }

    public async Task DisposeAsync()
    {
        await Raster.DisposeAsync();
        await Vector.DisposeAsync();
    }

    /// <summary>A silo process of its own (its own data folder) serving <paramref name="tiles"/> as its base map.</summary>
    public static Task<SiloProcess> StartAsync(string name, string tiles)
    {
        var data = TestSilo.NewDataFolder();
        return SiloProcess.StartAsync(name,
        [
            $"--Storage:ConnectionString=Data Source={Path.Combine(data, "cmaclive.db")}",
            $"--Dashboard:Tiles={tiles}",
        ]);
    }
}
