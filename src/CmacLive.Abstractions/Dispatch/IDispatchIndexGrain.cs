namespace CmacLive.Dispatch;

/// <summary>
/// The requests received in one month (key <c>yyyy-MM</c>, UTC), or the open ones (key <see cref="Open"/>),
/// as summaries for lists and figures.
/// </summary>
public interface IDispatchIndexGrain : IGrainWithStringKey
{
    public const string Open = "open";

    /// <summary>The index for a month of reception.</summary>
    public static string MonthOf(DateTimeOffset receivedAt) => receivedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    Task Put(DispatchSummary summary);

    Task<IReadOnlyList<DispatchSummary>> List();
}
