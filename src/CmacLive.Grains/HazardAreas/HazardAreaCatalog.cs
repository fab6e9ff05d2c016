using CmacLive.Geo;
using CmacLive.Tracking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;

namespace CmacLive.HazardAreas;

/// <summary>
/// Each silo's own spatial index of every hazard area, so an asset finds the area it stands in with no
/// grain call per fix. Areas defined on this silo apply at once; changes made on other silos are picked
/// up from the cluster's directory every <see cref="TrackingOptions.HazardAreaRefreshInterval"/>.
/// </summary>
public sealed partial class HazardAreaCatalog(
    IGrainFactory grains,
    IOptions<TrackingOptions> options,
    ILogger<HazardAreaCatalog> logger) : BackgroundService, IHazardAreaLocator
{
    private readonly Lock _writeLock = new();
    private HazardAreaIndex _index = HazardAreaIndex.Empty;
    private long _version;

    public int Count => Volatile.Read(ref _index).Count;

    public string? Locate(double lat, double lon) => Volatile.Read(ref _index).Locate(lat, lon);

    /// <summary>Applies a change made on this silo at once.</summary>
    public void Apply(string code, Geometry geometry) => Update([(code, geometry)]);

    /// <summary>
    /// Brings the index up to date with the directory; answers the number of areas read. An area that
    /// cannot be read is logged and tried again on the next refresh; the others apply now.
    /// </summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var changes = await grains.GetGrain<IHazardAreaDirectoryGrain>(0).ChangesSince(Volatile.Read(ref _version));
        var read = new List<(string, Geometry?)>(changes.Codes.Count);
        var failed = 0;
        foreach (var code in changes.Codes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var definition = await grains.GetGrain<IHazardAreaGrain>(code).GetDefinition();
                read.Add((code, definition is null ? null : HazardAreaGeometry.FromWkb(definition.GeometryWkb)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                LogAreaUnread(ex, code);
            }
        }

        Update(read);
        if (failed == 0)
        {
            Volatile.Write(ref _version, changes.Version);
        }

        return read.Count;
    }

    /// <summary>
    /// Loads the index before the services after it start (the MQTT broker among them), so no fix is
    /// ever placed against an empty index; keeps it fresh in the background from then on.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var read = await RefreshAsync(cancellationToken);
                LogLoaded(read);
                break;
            }
            catch (Exception ex) when (attempt < 10 && !cancellationToken.IsCancellationRequested)
            {
                LogNotLoadedYet(ex, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
            }
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HazardAreaRefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var read = await RefreshAsync(stoppingToken);
                if (read > 0)
                {
                    LogRefreshed(read, Count);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The directory may be moving between silos: try again next period.
                LogRefreshFailed(ex);
            }
        }
    }

    private void Update(IReadOnlyCollection<(string Code, Geometry? Geometry)> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        // Writers are rare (area imports); readers never wait.
        lock (_writeLock)
        {
            Volatile.Write(ref _index, Volatile.Read(ref _index).With(changes));
        }
    }

    [LoggerMessage(LogLevel.Warning, "Hazard area {Code} could not be read into the index; retrying")]
    private partial void LogAreaUnread(Exception ex, string code);

    [LoggerMessage(LogLevel.Information, "Hazard-area index loaded: {Count} areas")]
    private partial void LogLoaded(int count);

    [LoggerMessage(LogLevel.Warning, "Hazard-area index could not be loaded yet (attempt {Attempt})")]
    private partial void LogNotLoadedYet(Exception ex, int attempt);

    [LoggerMessage(LogLevel.Information, "Hazard-area index refreshed: {Read} areas read, {Count} in all")]
    private partial void LogRefreshed(int read, int count);

    [LoggerMessage(LogLevel.Warning, "Hazard-area index refresh failed; retrying")]
    private partial void LogRefreshFailed(Exception ex);
}
