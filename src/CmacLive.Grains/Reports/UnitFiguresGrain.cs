using CmacLive.Storage;
using Microsoft.Extensions.Logging;

namespace CmacLive.Reports;

/// <summary>
/// A unit's daily figures for one year. Each source (an area's search or release, a find, an asset's working time)
/// sets what it did on a day in full, so a source that says it again after a crash or a lost answer never counts
/// twice, and one that could not say it says it later; what a source searched or worked in a day never shrinks. Recent days keep each source apart; days older than
/// <see cref="SourcesKeptDays"/> are folded into a total (a source speaking of such a day after that is added to it).
/// A source new to a day (a find, a release, an area's or asset's first word of the day) is written before the answer;
/// changes to what a source said, which come often and are said again in full by the next change, at most every second.
/// </summary>
public sealed partial class UnitFiguresGrain(
    [PersistentState("figures", StorageNames.Main)] IPersistentState<UnitFiguresState> store,
    ILogger<UnitFiguresGrain> logger) : Grain, IUnitFiguresGrain
{
    /// <summary>Days kept source by source, counted back from the newest day any source spoke of.</summary>
    public const int SourcesKeptDays = 7;

    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(1);

    private bool _dirty;
    private IGrainTimer? _timer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _timer = this.RegisterGrainTimer(SaveIfDirtyAsync, new GrainTimerCreationOptions(WriteEvery, WriteEvery) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        await SaveIfDirtyAsync(cancellationToken);
    }

    public async Task Set(DateOnly day, string source, DayFigures figures)
    {
        var state = store.State;
        if (state.Sources.TryGetValue(day, out var sources) && sources.TryGetValue(source, out var known))
        {
            figures = Grown(known, figures);
            if (Same(known, figures))
            {
                return; // said again: nothing changes
            }

            sources[source] = figures;
            _dirty = true;
            return;
        }

        if (sources is not null)
        {
            sources[source] = figures;
        }
        else if (state.Days.ContainsKey(day) && state.Sources.Count > 0 && day < state.Sources.Keys.Max().AddDays(-SourcesKeptDays))
        {
            // A day already folded: what the source says is added to it (it was not among the sources folded then).
            LogLateSource(this.GetPrimaryKeyString(), source, day);
            state.Days[day] = state.Days[day].Plus(figures);
        }
        else
        {
            state.Sources[day] = new Dictionary<string, DayFigures>(StringComparer.Ordinal) { [source] = figures };
            Fold();
        }

        _dirty = true;
        await SaveIfDirtyAsync(CancellationToken.None);
    }

    /// <summary>
    /// Searched ground and working time only grow within a day: a source come back from an older state of its own (its
    /// silo lost before it wrote) never takes back what it said before; it catches up when it next says more.
    /// </summary>
    private static DayFigures Grown(DayFigures known, DayFigures said)
    {
        var working = new Dictionary<string, double>(said.WorkingSeconds, StringComparer.Ordinal);
        foreach (var (kind, seconds) in known.WorkingSeconds)
        {
            working[kind] = Math.Max(seconds, working.GetValueOrDefault(kind));
        }

        return said with { SearchedM2 = Math.Max(known.SearchedM2, said.SearchedM2), WorkingSeconds = working };
    }

    private static bool Same(DayFigures a, DayFigures b) =>
        a.SearchedM2 == b.SearchedM2 && a.CancelledM2 == b.CancelledM2 && a.ReducedM2 == b.ReducedM2 && a.ClearedM2 == b.ClearedM2
        && a.Finds.Count == b.Finds.Count && a.Finds.All(f => b.Finds.TryGetValue(f.Key, out var n) && n == f.Value)
        && a.WorkingSeconds.Count == b.WorkingSeconds.Count && a.WorkingSeconds.All(w => b.WorkingSeconds.TryGetValue(w.Key, out var s) && s == w.Value);

    public Task<IReadOnlyDictionary<DateOnly, DayFigures>> Get(DateOnly from, DateOnly to)
    {
        var state = store.State;
        var figures = state.Days.Where(d => d.Key >= from && d.Key <= to).ToDictionary(d => d.Key, d => d.Value);
        foreach (var (day, sources) in state.Sources.Where(d => d.Key >= from && d.Key <= to))
        {
            var sum = figures.TryGetValue(day, out var folded) ? folded : new DayFigures();
            foreach (var said in sources.Values)
            {
                sum = sum.Plus(said);
            }

            figures[day] = sum;
        }

        return Task.FromResult<IReadOnlyDictionary<DateOnly, DayFigures>>(figures);
    }

    /// <summary>Folds the days older than <see cref="SourcesKeptDays"/> before the newest into their totals.</summary>
    private void Fold()
    {
        var state = store.State;
        var keepFrom = state.Sources.Keys.Max().AddDays(-SourcesKeptDays);
        foreach (var day in state.Sources.Keys.Where(d => d < keepFrom).ToList())
        {
            var total = state.Days.TryGetValue(day, out var folded) ? folded : new DayFigures();
            foreach (var said in state.Sources[day].Values)
            {
                total = total.Plus(said);
            }

            state.Days[day] = total;
            state.Sources.Remove(day);
        }
    }

    private async Task SaveIfDirtyAsync(CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            _dirty = false;
            await store.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            _dirty = true;
            LogWriteFailed(ex, this.GetPrimaryKeyString());
        }
    }

    [LoggerMessage(LogLevel.Warning, "Figures of {Key}: {Source} spoke of {Day}, a day already folded; added to it")]
    private partial void LogLateSource(string key, string source, DateOnly day);

    [LoggerMessage(LogLevel.Warning, "Figures of {Key} could not be written; retrying")]
    private partial void LogWriteFailed(Exception ex, string key);
}
