namespace CmacLive.Ingestion;

/// <summary>Counts since this silo started.</summary>
public sealed record IngestStatsSnapshot(
    IReadOnlyDictionary<string, long> Accepted,
    IReadOnlyDictionary<string, long> Rejected,
    long ConnectionsRefused,
    IReadOnlyDictionary<string, long> Limits,
    IReadOnlyDictionary<string, long> SosFastLane);
