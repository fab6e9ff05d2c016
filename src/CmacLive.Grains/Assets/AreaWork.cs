using System.Text.Json;
using CmacLive.HazardAreas;
using CmacLive.Tracking;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// Hands an asset's work points (its working fixes, and the end of each working period) to its task area, off the
/// acknowledgement path: each fix is in history before it gets here, so the asset queues the point and answers; one
/// call at a time takes the queue to the area, in order. A point the area could not take, a queue that overflowed, or a
/// new activation makes the area replay the asset's fixes from history first (<see cref="IHazardAreaGrain.Resync"/>).
/// When the area answers that it no longer lists the asset, the grain learns it on its next turn (<see cref="TakeLeft"/>).
/// All of it runs on the grain's own scheduler, one piece at a time, and never touches the grain's stored state.
/// </summary>
internal sealed partial class AreaWork(string assetId, AssetKind kind, IGrainFactory grains, AssetGrainServices services)
{
    /// <summary>At most this many fixes are replayed to an area that came back (minutes of fixes; the area writes every few seconds).</summary>
    private const int MostReplayed = 5000;

    /// <summary>How far before a replay's start its statuses are read, to know the state in effect then.</summary>
    private static readonly TimeSpan StatusLookBack = TimeSpan.FromHours(12);

    private readonly ILogger _logger = services.Loggers.CreateLogger<AreaWork>();
    private readonly Queue<(string Area, WorkSample Sample)> _queue = new();
    private Task _sending = Task.CompletedTask;
    private string? _left;

    // The area may lack some of this asset's work points: true after a point it could not take, and in a new activation
    // (the last one may have been lost with its silo before its points reached the area).
    private bool _behind = true;

    /// <summary>Queues a work point for <paramref name="area"/>; answers at once.</summary>
    public void Add(string area, WorkSample sample)
    {
        if (_queue.Count >= services.MaxQueuedWorkPoints)
        {
            services.WorkReplayed.Add(_queue.Count, new KeyValuePair<string, object?>("reason", "overflow"));
            // The area replays them from history once it answers again.
            LogQueueOverflow(assetId, _queue.Count, area);
            _queue.Clear();
            _behind = true;
        }

        _queue.Enqueue((area, sample));
        if (_sending.IsCompleted)
        {
            _sending = SendAsync();
        }
    }

    /// <summary>The area the asset was found no longer listed in (once), or null.</summary>
    public string? TakeLeft()
    {
        var left = _left;
        _left = null;
        return left;
    }

    /// <summary>Waits until the queued points have been handed over (as the grain deactivates).</summary>
    public Task DrainAsync() => _sending;

    private async Task SendAsync()
    {
        while (_queue.TryDequeue(out var next))
        {
            var (code, sample) = next;
            try
            {
                var area = grains.GetGrain<IHazardAreaGrain>(code);
                if (_behind)
                {
                    // Work points may have missed the area (a failover, or this asset lost with a silo): it replays them first.
                    await area.Resync(assetId);
                    _behind = false;
                }

                if (!await area.Worked(sample))
                {
                    _left = code;
                }
            }
            catch (Exception ex)
            {
                _behind = true;
                services.WorkReplayed.Add(1, new KeyValuePair<string, object?>("reason", "failed"));
                LogWorkPointFailed(ex, assetId, code);
            }

        }
    }

    /// <summary>
    /// The area <paramref name="code"/> came back with a footprint stored as of <paramref name="since"/>: the fixes after
    /// it are read from history and those of working periods handed to the area.
    /// </summary>
    public async Task ReplayAsync(AssetTrackState state, string code, DateTimeOffset since)
    {
        // The points queued before this turn reach the area first, as they would have had the fixes waited for the area:
        // the replay then reads them from history too, and no point of an earlier fix arrives after the replayed ones
        // (no fix is taken while this turn runs).
        await _sending;
        List<WorkSample> samples = [];
        try
        {
            if (state.Profile is not null && state.TaskArea == code)
            {
                // The fixes after `since`, and the statuses from well before it, to know which fell in a working period.
                var until = services.Time.GetUtcNow().AddMinutes(1);
                var fixes = await services.History.ReadTrackAsync(assetId, since, until, MostReplayed, CancellationToken.None);
                var events = await services.History.ReadEventsAsync(assetId, "status", since - StatusLookBack, until, MostReplayed, CancellationToken.None);
                var statuses = events.Select(e => (e.Ts, State: StateOf(e.Payload))).ToList();
                var before = statuses.Count > 0 && statuses[0].Ts <= since ? AssetState.Unknown
                    : state.StateTs is { } at && at <= since ? state.State : AssetState.Unknown;
                samples = WorkReplay.Samples(assetId, kind, since, fixes, statuses, state.WorkRun, before);
            }
        }
        catch (Exception ex)
        {
            LogReplayReadFailed(ex, assetId, since, code);
        }

        try
        {
            await grains.GetGrain<IHazardAreaGrain>(code).Replayed(assetId, samples);
        }
        catch (Exception ex)
        {
            LogReplayFailed(ex, assetId, code);
        }
    }

    /// <summary>Makes sure the area <paramref name="code"/> does not list the asset; a failure is logged.</summary>
    public async Task DetachAsync(string code)
    {
        try
        {
            await grains.GetGrain<IHazardAreaGrain>(code).Detach(assetId);
        }
        catch (Exception ex)
        {
            LogDetachFailed(ex, assetId, code);
        }
    }

    private static AssetState StateOf(string payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.TryGetProperty("state", out var state) && WireNames.TryParse<AssetState>(state.GetString(), out var parsed)
                ? parsed
                : AssetState.Unknown;
        }
        catch (JsonException)
        {
            return AssetState.Unknown;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: {Count} work points waiting for area {Code}; it replays them from history instead")]
    private partial void LogQueueOverflow(string assetId, int count, string code);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: hazard area {Code} could not take a work point; it is replayed from history with the next one")]
    private partial void LogWorkPointFailed(Exception ex, string assetId, string code);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: its fixes since {Since} could not be read for area {Code}")]
    private partial void LogReplayReadFailed(Exception ex, string assetId, DateTimeOffset since, string code);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: area {Code} could not take its replayed fixes")]
    private partial void LogReplayFailed(Exception ex, string assetId, string code);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: hazard area {Code} could not take it off its list")]
    private partial void LogDetachFailed(Exception ex, string assetId, string code);
}
