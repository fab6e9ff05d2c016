using System.Diagnostics.Metrics;

namespace CmacLive.Api.Tiles;

/// <summary>
/// This silo's answers to tile requests since it started, by outcome: exported as the counter
/// <c>cmaclive.tiles.requests</c> (meter <c>CmacLive.Tiles</c>, tag <c>outcome</c>) and readable at <c>GET /api/tiles/stats</c>.
/// </summary>
public sealed class TileStats
{
    public const string MeterName = "CmacLive.Tiles";

    private readonly long[] _counts = new long[Enum.GetValues<TileOutcome>().Length];
    private readonly Counter<long> _counter;

    public TileStats(IMeterFactory meters) =>
        _counter = meters.Create(MeterName).CreateCounter<long>("cmaclive.tiles.requests", description: "Tile requests answered, by outcome");

    public void Count(TileOutcome outcome)
    {
        Interlocked.Increment(ref _counts[(int)outcome]);
        _counter.Add(1, new KeyValuePair<string, object?>("outcome", WireNames.Of(outcome)));
    }

    public TileStatsSnapshot Snapshot() => new(
        Read(TileOutcome.Served), Read(TileOutcome.NotModified), Read(TileOutcome.Missing),
        Read(TileOutcome.Refused), Read(TileOutcome.NoBaseMap), Read(TileOutcome.Failed));

    private long Read(TileOutcome outcome) => Interlocked.Read(ref _counts[(int)outcome]);

}
