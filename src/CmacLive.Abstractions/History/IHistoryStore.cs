namespace CmacLive.History;

/// <summary>
/// The append-only history of the field. An append completes when the record is durable (written in a
/// committed batch together with whatever else arrived at the same moment); appending a record that is
/// already stored (same device and time) completes without storing it twice.
/// </summary>
public interface IHistoryStore
{
    Task AppendAsync(FixRecord fix);

    Task AppendAsync(EventRecord record);

    /// <summary>
    /// An asset's fixes in <c>[from, to)</c>, oldest first, at most <paramref name="limit"/> of them
    /// (ask for one more than you allow to find out whether the window holds too many).
    /// </summary>
    Task<IReadOnlyList<TrackPoint>> ReadTrackAsync(string assetId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>An asset's events of one kind (<c>status</c>, say) in <c>[from, to)</c>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<HistoryEvent>> ReadEventsAsync(string assetId, string kind, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}
