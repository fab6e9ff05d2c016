namespace CmacLive.Ingestion;

/// <summary>
/// Counts since this silo started; <see cref="Sources"/> counts uplinks again by how they came in (MQTT, OsmAnd, OwnTracks
/// over HTTP); <see cref="PhoneSos"/> the SOS alerts raised from a phone app's SOS button.
/// </summary>
public sealed record IngestStatsSnapshot(
    IReadOnlyDictionary<string, long> Accepted,
    IReadOnlyDictionary<string, long> Rejected,
    long ConnectionsRefused,
    IReadOnlyDictionary<string, long> Limits,
    IReadOnlyDictionary<string, long> SosFastLane,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Sources,
    long PhoneSos);
