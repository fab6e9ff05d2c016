using System.Diagnostics.Metrics;
using System.Text.Json;
using CmacLive.Alerts;
using CmacLive.Api.Hubs;
using CmacLive.Api.Json;
using CmacLive.Assets;
using CmacLive.Dispatch;
using CmacLive.HazardAreas;
using CmacLive.Live;
using CmacLive.Reports;
using CmacLive.Situations;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CmacLive.Api.Situation;

/// <summary>
/// This silo's situation at a glance. The counts of assets and areas are kept incrementally (<see cref="SituationTally"/>) from
/// the live feed the hub relay receives (<see cref="Observe"/>), and read from the unit rosters and the hazard area list at
/// start and every <see cref="SituationOptions.ReconcilePeriod"/> after, which corrects a count an update lost on its way left
/// wrong (a silo that died with it, this hub out of the feeds for a moment). The day's figures, open alerts and open
/// requests are read when a situation is counted, once per period for every focus set together. Every <see cref="SituationOptions.PushPeriod"/> each focus set that dashboards here are
/// focused on (see <see cref="OpsHub"/>) and that something touched is counted again, and pushed as <c>situationUpdated</c>
/// to its group only when it changed.
/// </summary>
public sealed partial class SituationBoard(
    IGrainFactory grains,
    IHubContext<OpsHub> hub,
    OpsHubLifetimeManager lifetime,
    ReportDays days,
    TimeProvider time,
    IOptions<SituationOptions> options,
    IMeterFactory meters,
    ILogger<SituationBoard> logger) : BackgroundService
{
    public const string MeterName = "CmacLive.Situation";

    /// <summary>The hub message.</summary>
    public const string Message = "situationUpdated";

    /// <summary>The focus set of dashboards focused on no unit: the whole cluster.</summary>
    public const string Everything = "";

    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SeedRetry = TimeSpan.FromSeconds(2);

    private readonly SituationOptions _options = options.Value;
    private readonly JsonSerializerOptions _json = WireJson.Create();

    private readonly Lock _lock = new();
    private readonly SituationTally _tally = new();
    private HashSet<string> _touched = new(StringComparer.Ordinal);
    private bool _touchedAll;
    private readonly Dictionary<string, int> _focused = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Each focus set's last count: touched only by the push loop.
    private readonly Dictionary<string, Counted> _counted = new(StringComparer.Ordinal);

    private readonly Counter<long> _countedSets = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.situation.counted", description: "Situations counted (one per focus set per period when something changed, and each GET)");
    private readonly Counter<long> _pushed = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.situation.pushed", description: "situationUpdated messages sent, one per focus set whose situation changed");
    private readonly Counter<long> _deferred = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.situation.deferred", description: "Focus sets left to the next period because more than Situation:MostFocusSets were due");
    private readonly Counter<long> _reread = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.situation.reread", description: "Reads of every asset and area (at start, then every Situation:ReconcilePeriod)");
    private readonly Counter<long> _corrected = meters.Create(MeterName)
        .CreateCounter<long>("cmaclive.situation.corrected", description: "Assets and areas whose counts a reread changed: an update lost on its way, or one read before its push arrived");

    /// <summary>The hub's group of the dashboards focused on a set of units (<see cref="KeyOf"/>).</summary>
    public static string Group(string key) => "situation:" + key;

    /// <summary>A focus set's key: its units in order, comma separated; <see cref="Everything"/> for none.</summary>
    public static string KeyOf(IEnumerable<string> units) => string.Join(',', units.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    private static IReadOnlyList<string>? UnitsOf(string key) => key.Length == 0 ? null : key.Split(',');

    /// <summary>Takes a batch of the live feed: assets' and areas' counts move now; anything else marks its units to be counted again.</summary>
    public void Observe(OpsUpdateBatch batch)
    {
        lock (_lock)
        {
            foreach (var status in batch.Assets)
            {
                _tally.Observe(status, _touched);
            }

            foreach (var area in batch.HazardAreas)
            {
                _tally.Observe(area, _touched);
                Touch(area.Unit); // its searched ground and finds, which the day's figures count
            }

            foreach (var update in batch.Alerts)
            {
                Touch(update.Alert.Unit);
            }

            foreach (var request in batch.Requests)
            {
                Touch(request.Unit);
            }
        }
    }

    private void Touch(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            _touchedAll = true;
        }
        else
        {
            _touched.Add(unit);
        }
    }

    /// <summary>A dashboard focused on <paramref name="key"/>'s units; answers the key.</summary>
    public string Join(string key)
    {
        lock (_lock)
        {
            _focused[key] = _focused.GetValueOrDefault(key) + 1;
        }

        return key;
    }

    /// <summary>A dashboard left <paramref name="key"/>'s focus (it refocused or disconnected).</summary>
    public void Leave(string key)
    {
        lock (_lock)
        {
            if (_focused.TryGetValue(key, out var count))
            {
                if (count <= 1)
                {
                    _focused.Remove(key);
                }
                else
                {
                    _focused[key] = count - 1;
                }
            }
        }
    }

    /// <summary>
    /// The situation of <paramref name="units"/> now (null: every unit), once this silo has read every asset and area
    /// (null if it could not within <see cref="SituationOptions.SeedWait"/>).
    /// </summary>
    public async Task<SituationView?> ReadAsync(IReadOnlyList<string>? units, CancellationToken cancellationToken)
    {
        try
        {
            await _seeded.Task.WaitAsync(_options.SeedWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }

        return (await CountAsync([units], cancellationToken))[0];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Task reconciling = Task.CompletedTask;
        try
        {
            await SeedAsync(stoppingToken);
            reconciling = ReconcileLoopAsync(stoppingToken);
            using var timer = new PeriodicTimer(_options.PushPeriod, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PushAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPushFailed(ex);
                    _counted.Clear(); // every focus set is counted and sent again next period: none is left with a change it missed
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // The reread loop ends with the same token; nothing of it is left running or unobserved.
            await reconciling.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Reads every asset and area until it succeeds once: a situation is counted only after.</summary>
    private async Task SeedAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                var (assets, areas, _) = await RereadAsync(seed: true, stoppingToken);
                LogSeeded(assets, areas);
                _seeded.TrySetResult();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSeedFailed(ex);
                await Task.Delay(SeedRetry, time, stoppingToken);
            }
        }
    }

    /// <summary>Reads every asset and area again each <see cref="SituationOptions.ReconcilePeriod"/>.</summary>
    private async Task ReconcileLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReconcilePeriod, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var (_, _, corrected) = await RereadAsync(seed: false, stoppingToken);
                if (corrected > 0)
                {
                    LogCorrected(corrected);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRereadFailed(ex);
            }
        }
    }

    /// <summary>
    /// Reads every asset's status and every area's view: what the feed brought since the read began is as new or newer and
    /// stays (<see cref="SituationTally.Mark"/>). Answers how many assets and areas there are, and how many counts it changed
    /// (counted as corrected, but not by the <paramref name="seed"/> at start, which finds every one new).
    /// </summary>
    private async Task<(int Assets, int Areas, int Corrected)> RereadAsync(bool seed, CancellationToken stoppingToken)
    {
        long mark;
        lock (_lock)
        {
            mark = _tally.Mark();
        }

        var units = await grains.GetGrain<IUnitDirectoryGrain>(0).List().WaitAsync(stoppingToken);
        var statuses = await AssetGrains.StatusesAsync(grains, units, stoppingToken);
        var codes = await grains.GetGrain<IHazardAreaDirectoryGrain>(0).Codes().WaitAsync(stoppingToken);
        var areas = await AssetGrains.InChunksAsync(codes, c => grains.GetGrain<IHazardAreaGrain>(c).GetView(), stoppingToken);
        var corrected = 0;
        lock (_lock)
        {
            foreach (var status in statuses)
            {
                corrected += _tally.Reread(status, mark, _touched) ? 1 : 0;
            }

            foreach (var area in areas.OfType<HazardAreaView>())
            {
                corrected += _tally.Reread(area, mark, _touched) ? 1 : 0;
            }

            _reread.Add(1);
            if (!seed)
            {
                _corrected.Add(corrected);
            }

            return (_tally.Assets, _tally.Areas, corrected);
        }
    }

    /// <summary>Counts again the focus sets that are due and pushes those that changed.</summary>
    private async Task PushAsync(CancellationToken stoppingToken)
    {
        HashSet<string> touched;
        bool touchedAll;
        string[] focused;
        lock (_lock)
        {
            touched = _touched;
            touchedAll = _touchedAll;
            _touched = new(StringComparer.Ordinal);
            _touchedAll = false;
            focused = [.. _focused.Keys];
        }

        foreach (var gone in _counted.Keys.Except(focused, StringComparer.Ordinal).ToList())
        {
            _counted.Remove(gone);
        }

        var now = time.GetUtcNow();
        var anything = touchedAll || touched.Count > 0;
        var due = focused
            .Select(key => (Key: key, Known: _counted.GetValueOrDefault(key)))
            .Select(f => (f.Key, f.Known, Changed: f.Key == Everything ? anything : UnitsOf(f.Key)!.Any(touched.Contains)))
            .Where(f => f.Known is null || f.Changed || f.Known.Settle || now - f.Known.At >= _options.RefreshPeriod)
            .OrderBy(f => f.Known?.At ?? DateTimeOffset.MinValue)
            .ToList();
        if (due.Count == 0)
        {
            return;
        }

        if (due.Count > _options.MostFocusSets)
        {
            _deferred.Add(due.Count - _options.MostFocusSets);
            if (anything)
            {
                // What touched the sets left for later must still reach them next period.
                lock (_lock)
                {
                    _touched.UnionWith(touched);
                    _touchedAll |= touchedAll;
                }
            }

            due = due[.._options.MostFocusSets];
        }

        var views = await CountAsync([.. due.Select(f => UnitsOf(f.Key))], stoppingToken);
        for (var i = 0; i < due.Count; i++)
        {
            var (key, known, changed) = due[i];
            var json = JsonSerializer.Serialize(views[i], _json);
            var sentAt = known?.SentAt ?? DateTimeOffset.MinValue;
            if (known?.Json != json)
            {
                // A period late to start (a slow count) must not put two pushes closer than a period: this one waits a period.
                if (time.GetUtcNow() - sentAt < _options.PushPeriod)
                {
                    _counted[key] = known! with { Settle = true };
                    continue;
                }

                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    timeout.CancelAfter(SendTimeout);
                    await hub.Clients.Group(Group(key)).SendAsync(Message, views[i], timeout.Token);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // As the relay does: a dashboard that cannot take a ping is cut off, and the others' sets go on; this set
                    // is counted and sent again next period.
                    LogSendFailed(ex, key);
                    await lifetime.CutOffStuckAsync(OpsHubRelay.PingWithin, stoppingToken);
                    _counted.Remove(key);
                    continue;
                }

                sentAt = time.GetUtcNow();
                _pushed.Add(1);
            }

            // A change seen is counted once more next period: a grain's figures can land a moment after its push.
            _counted[key] = new Counted(json, now, sentAt, Settle: changed);
        }
    }

    /// <summary>
    /// The situations of several focus sets (null: every unit) at once: the open alerts and requests read once, each unit's
    /// figures of the day once.
    /// </summary>
    private async Task<SituationView[]> CountAsync(IReadOnlyList<IReadOnlyList<string>?> sets, CancellationToken cancellationToken)
    {
        var day = days.DayOf(time.GetUtcNow());
        var alertsRead = grains.GetGrain<IAlertLedgerGrain>(0).List(openOnly: true);
        var requestsRead = grains.GetGrain<IDispatchIndexGrain>(IDispatchIndexGrain.Open).List();
        IReadOnlyList<string> known;
        lock (_lock)
        {
            known = _tally.Units();
        }

        var units = new HashSet<string>(sets.SelectMany(s => s ?? []), StringComparer.Ordinal);
        if (sets.Any(s => s is null))
        {
            units.UnionWith(known);
            units.UnionWith(await grains.GetGrain<IUnitDirectoryGrain>(0).List());
        }

        var figures = new Dictionary<string, DayFigures>(StringComparer.Ordinal);
        foreach (var (unit, read) in await Task.WhenAll(units.Select(async u => (u, await UnitFigures.Of(grains, u, day).Get(day, day)))))
        {
            figures[unit] = read.TryGetValue(day, out var f) ? f : new DayFigures();
        }

        var alerts = await alertsRead.WaitAsync(cancellationToken);
        var requests = await requestsRead.WaitAsync(cancellationToken);
        var views = new SituationView[sets.Count];
        for (var i = 0; i < sets.Count; i++)
        {
            var set = sets[i];
            var today = (set ?? (IEnumerable<string>)units).Aggregate(new DayFigures(), (sum, u) => figures.TryGetValue(u, out var f) ? sum.Plus(f) : sum);
            UnitCounts counts;
            lock (_lock)
            {
                counts = _tally.Count(set);
            }

            views[i] = SituationCount.Of(set, day, counts, today, alerts, requests);
            _countedSets.Add(1);
        }

        return views;
    }

    /// <summary>A focus set's last count as sent (<paramref name="Json"/>, counted <paramref name="At"/>, sent <paramref name="SentAt"/>), and whether it is to be counted once more.</summary>
    private sealed record Counted(string Json, DateTimeOffset At, DateTimeOffset SentAt, bool Settle);

    [LoggerMessage(LogLevel.Information, "The situation read {Assets} assets and {Areas} hazard areas to start from")]
    private partial void LogSeeded(int assets, int areas);

    [LoggerMessage(LogLevel.Warning, "The situation could not read the assets and areas to start from; trying again")]
    private partial void LogSeedFailed(Exception ex);

    [LoggerMessage(LogLevel.Information, "Reading every asset and area again changed the situation's counts of {Count} of them (updates lost on their way, or read before they arrived)")]
    private partial void LogCorrected(int count);

    [LoggerMessage(LogLevel.Warning, "The situation could not read every asset and area again; trying at the next period")]
    private partial void LogRereadFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "situationUpdated could not be sent to the dashboards focused on '{Key}' (one slow or stuck?); sent again next period")]
    private partial void LogSendFailed(Exception ex, string key);

    [LoggerMessage(LogLevel.Warning, "The situation could not be counted or pushed this period; trying again at the next")]
    private partial void LogPushFailed(Exception ex);
}
