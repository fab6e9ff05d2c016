using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CmacLive.Api.Tiles;

/// <summary>
/// The silo's offline base map: the MBTiles file of <c>Dashboard:Tiles</c>, opened at start. A file that is missing or
/// is no MBTiles does not stop the silo (the command centre keeps its live picture over the outlines the dashboard
/// ships): the silo logs why at start, <c>/health</c> says Degraded with the reason, and the tile routes answer 404.
/// </summary>
public sealed partial class BaseMap(BaseMapOptions options, ILogger<BaseMap> logger) : IHostedService
{
    private volatile MbTilesFile? _file;
    private volatile string? _problem;

    /// <summary>The open file, or null: none configured, not opened yet, or it could not be opened (<see cref="Problem"/>).</summary>
    public MbTilesFile? File => _file;

    /// <summary>Why the configured file is not served, or null.</summary>
    public string? Problem => _problem;

    public BaseMapOptions Options => options;

    /// <summary>Whether a file is configured at all.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(options.Tiles);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return;
        }

        try
        {
            var file = await MbTilesFile.OpenAsync(options.Tiles!, cancellationToken);
            var info = file.Info;
            LogOpened(file.Path, info.Name, info.Format.Name, info.MinZoom, info.MaxZoom);
            if (!string.IsNullOrWhiteSpace(options.TileUrl))
            {
                LogTileUrlIgnored(options.TileUrl);
            }

            _file = file;
        }
        catch (MbTilesException ex)
        {
            _problem = $"Dashboard:Tiles: {ex.Message}";
            LogUnusable(ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Base map {Path}: '{Name}', {Format} tiles, zoom {MinZoom} to {MaxZoom}, served under /tiles/")]
    private partial void LogOpened(string path, string name, string format, int minZoom, int maxZoom);

    [LoggerMessage(LogLevel.Warning, "Dashboard:TileUrl ({TileUrl}) is not used: the offline base map of Dashboard:Tiles is drawn instead")]
    private partial void LogTileUrlIgnored(string tileUrl);

    [LoggerMessage(LogLevel.Error, "No base map: Dashboard:Tiles cannot be served: {Problem}. The silo runs on; the dashboard draws the country and province outlines only, and /health says Degraded until the file is fixed and the silo restarted")]
    private partial void LogUnusable(string problem);
}
