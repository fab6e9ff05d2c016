using System.Text.Json.Serialization;

namespace CmacLive.Dispatch;

/// <summary>
/// Where a request stands. The values are in lifecycle order: a request moves forward, to <see cref="Resolved"/>
/// or, from any open step, to <see cref="Cancelled"/>; only a deliberate re-assignment to another team
/// (before on site) takes it back to <see cref="Assigned"/>.
/// </summary>
public enum DispatchStatus
{
    [JsonStringEnumMemberName("received")] Received = 0,
    [JsonStringEnumMemberName("triaged")] Triaged = 1,
    [JsonStringEnumMemberName("assigned")] Assigned = 2,
    [JsonStringEnumMemberName("acknowledged")] Acknowledged = 3,
    [JsonStringEnumMemberName("en-route")] EnRoute = 4,
    [JsonStringEnumMemberName("on-site")] OnSite = 5,
    [JsonStringEnumMemberName("resolved")] Resolved = 6,
    [JsonStringEnumMemberName("cancelled")] Cancelled = 7,
}
