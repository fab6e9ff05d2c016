using CmacLive.History;

namespace CmacLive.Storage.History;

/// <summary>Writes one batch of history in one transaction, and reads tracks back: one per database kind.</summary>
public interface IHistorySink
{
    Task WriteAsync(IReadOnlyList<FixRecord> fixes, IReadOnlyList<EventRecord> events, CancellationToken cancellationToken);

    Task<IReadOnlyList<TrackPoint>> ReadTrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(string assetId, string kind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}
