namespace CmacLive.Api.Tiles;

/// <summary><c>GET /api/tiles/stats</c>: tile requests this silo answered since it started, by outcome (<see cref="TileOutcome"/>).</summary>
public sealed record TileStatsSnapshot(long Served, long NotModified, long Missing, long Refused, long NoBaseMap, long Failed);
