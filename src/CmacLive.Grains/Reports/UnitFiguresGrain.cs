using CmacLive.Storage;
using Microsoft.Extensions.Logging;

namespace CmacLive.Reports;

[GenerateSerializer, Alias("cmac.UnitFiguresState")]
public sealed class UnitFiguresState
{
    [Id(0)] public Dictionary<DateOnly, DayFigures> Days { get; set; } = [];
}

/// <summary>
/// A unit's daily figures for one year. Additions arrive often (every area that is being searched adds its
/// growth), so they are kept in memory and written at most every few seconds, and on deactivation.
/// </summary>
public sealed class UnitFiguresGrain(
    [PersistentState("figures", StorageNames.Main)] IPersistentState<UnitFiguresState> store,
    ILogger<UnitFiguresGrain> logger) : Grain, IUnitFiguresGrain
{
    private static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(5);

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

    public Task Add(DateOnly day, DayFigures delta)
    {
        var days = store.State.Days;
        days[day] = days.TryGetValue(day, out var known) ? known.Plus(delta) : delta;
        _dirty = true;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<DateOnly, DayFigures>> Get(DateOnly from, DateOnly to) =>
        Task.FromResult<IReadOnlyDictionary<DateOnly, DayFigures>>(
            store.State.Days.Where(d => d.Key >= from && d.Key <= to).ToDictionary(d => d.Key, d => d.Value));

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
            logger.LogWarning(ex, "Figures of {Key} could not be written; retrying", this.GetPrimaryKeyString());
        }
    }
}
