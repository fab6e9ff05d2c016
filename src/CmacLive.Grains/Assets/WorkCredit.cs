using CmacLive.Reports;
using CmacLive.Tracking;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// An asset's working time for its unit's daily figures: credited in device time as fixes and statuses arrive (cut at
/// local midnights), kept per day in the asset's state, and said in full to the unit's figures under the asset's own
/// source name, so saying it again never counts twice. One per activation, owned by its <see cref="AssetGrain"/>.
/// </summary>
internal sealed partial class WorkCredit(string assetId, AssetTrackState state, IGrainFactory grains, AssetGrainServices services)
{
    /// <summary>
    /// Working time is credited as fixes arrive, up to the last whole step of device time (steps counted from the epoch).
    /// Aligned steps make the credit depend on the fixes alone, not on which of them an activation saw: one that starts
    /// again from stored state after a crash credits the same total as one that never stopped.
    /// </summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(15);

    /// <summary>A day said once is said again no sooner than this: by then the first is written, or lost with a silo.</summary>
    private static readonly TimeSpan SayAgainAfter = TimeSpan.FromSeconds(3);

    private readonly ILogger _logger = services.Loggers.CreateLogger<WorkCredit>();

    // Days whose working time is still to be said to the unit's figures (and those said once already, to be said again).
    private readonly HashSet<DateOnly> _toSay = [];
    private readonly Dictionary<DateOnly, DateTimeOffset> _saidOnce = [];

    private DateTimeOffset Now => services.Time.GetUtcNow();

    /// <summary>
    /// A new activation: the working time said last may have been lost with the figures' silo (they write within a
    /// second, not before answering), so the recent days are said again on the first tick.
    /// </summary>
    public void Activated()
    {
        foreach (var day in state.WorkCredited.Keys.Where(d => d >= services.Days.DayOf(Now).AddDays(-1)))
        {
            _toSay.Add(day);
        }
    }

    /// <summary>An applied fix at <paramref name="ts"/>: a working period is credited up to its last whole step. True when the state changed.</summary>
    public async Task<bool> FixAsync(DateTimeOffset ts)
    {
        if (state.WorkCountedUntil is not { } counted || UpTo(ts) is var upTo && upTo <= counted)
        {
            return false;
        }

        await CreditAsync(counted, upTo);
        state.WorkCountedUntil = upTo;
        return true;
    }

    /// <summary>
    /// An applied status (<paramref name="wasWorking"/> and <paramref name="counted"/>: the state before it): a working
    /// period that ends (or goes on) is credited up to the status' time. True when the credit changed.
    /// </summary>
    public async Task<bool> StatusAsync(bool wasWorking, DateTimeOffset? counted, StatusReport report)
    {
        var credited = false;
        if (wasWorking && counted is { } from && report.Ts > from)
        {
            await CreditAsync(from, report.Ts);
            credited = true;
        }

        state.WorkCountedUntil = report.State == AssetState.Working ? (wasWorking && counted is { } c && c > report.Ts ? c : report.Ts) : null;
        return credited;
    }

    /// <summary>
    /// Says the working time of the days still to say, in full, to the unit's figures; a day stays to be said once more
    /// on the next tick (the figures write a change within a second, not before answering), and until said.
    /// </summary>
    public async Task SayAsync()
    {
        if (_toSay.Count == 0 || state.Profile is not { } profile)
        {
            return;
        }

        var kind = WireNames.Of(profile.Kind);
        foreach (var day in _toSay.Order().ToList())
        {
            if (!state.WorkCredited.TryGetValue(day, out var seconds))
            {
                _toSay.Remove(day);
                continue;
            }

            try
            {
                await UnitFigures.Of(grains, profile.Unit, day).Set(day, UnitFigures.Work(assetId), new DayFigures
                {
                    WorkingSeconds = new Dictionary<string, double> { [kind] = seconds },
                });
            }
            catch (Exception ex)
            {
                LogCreditFailed(ex, assetId, day, profile.Unit);
                return;
            }

            if (_saidOnce.TryGetValue(day, out var saidAt))
            {
                if (Now - saidAt >= SayAgainAfter)
                {
                    _toSay.Remove(day);
                    _saidOnce.Remove(day);
                }
            }
            else
            {
                _saidOnce[day] = Now;
            }
        }
    }

    /// <summary>The last whole <see cref="Step"/> of device time at or before <paramref name="ts"/>.</summary>
    private static DateTimeOffset UpTo(DateTimeOffset ts) => new(ts.UtcTicks - (ts.UtcTicks % Step.Ticks), TimeSpan.Zero);

    /// <summary>
    /// Credits working time (device time, cut at local midnights) to the days it fell on. A silence longer than
    /// <see cref="ReportOptions.MaxSilentWork"/> is credited only that much.
    /// </summary>
    private async Task CreditAsync(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from || state.Profile is null)
        {
            return;
        }

        if (to - from > services.Reports.MaxSilentWork)
        {
            to = from + services.Reports.MaxSilentWork;
        }

        var credited = state.WorkCredited;
        var pieces = services.Days.Split(from, to).ToList();
        foreach (var (day, duration) in pieces)
        {
            credited[day] = (credited.TryGetValue(day, out var known) ? known : 0) + duration.TotalSeconds;
        }

        foreach (var old in credited.Keys.Where(d => d < pieces[^1].Day.AddDays(-UnitFiguresGrain.SourcesKeptDays)).ToList())
        {
            credited.Remove(old);
        }

        foreach (var (day, _) in pieces)
        {
            _toSay.Add(day);
            _saidOnce.Remove(day); // a new total: said now and once more
        }

        await SayAsync();
    }

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: working time of {Day} could not be credited to {Unit}; retrying")]
    private partial void LogCreditFailed(Exception ex, string assetId, DateOnly day, string unit);
}
