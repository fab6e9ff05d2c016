using System.Diagnostics;

namespace CmacLive;

/// <summary>
/// The <c>CmacLive</c> activity source: one trace per uplink, from the broker's hand-over (<see cref="Uplink"/>) through the
/// grain calls (Orleans' own spans) to its history write (<see cref="HistoryAppend"/>) and its hand-over to every silo's hub
/// (<see cref="HubPush"/>). Held as the platform intends (one static source per component, like Orleans' and ASP.NET Core's):
/// with no listener, which is the case unless OTLP export is configured, <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// answers null at the cost of one check, and the code beside it does nothing more.
/// </summary>
public static class Tracing
{
    public const string SourceName = "CmacLive";

    /// <summary>An uplink, from the moment a broker hands it over until it is applied (or refused).</summary>
    public const string Uplink = "cmaclive.uplink";

    /// <summary>A history record, from its append until the batch holding it is written.</summary>
    public const string HistoryAppend = "cmaclive.history.append";

    /// <summary>An asset's update, handed by the silo's live feed to every hub.</summary>
    public const string HubPush = "cmaclive.hub.push";

    public static ActivitySource Source { get; } = new(SourceName);
}
