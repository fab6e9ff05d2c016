using System.Text.Json.Serialization;

namespace CmacLive.Ingestion;

/// <summary>How an uplink reached the silo: counted apart in <c>GET /api/ingest/stats</c> (<c>sources</c>).</summary>
public enum UplinkSource
{
    /// <summary>MQTT: the embedded broker or the external broker's shared subscription.</summary>
    [JsonStringEnumMemberName("mqtt")] Mqtt,

    /// <summary>HTTP on <c>Osmand:Port</c> in the OsmAnd protocol (the Traccar Client app).</summary>
    [JsonStringEnumMemberName("osmand")] Osmand,

    /// <summary>HTTP on <c>Osmand:Port</c> from the OwnTracks app in its HTTP mode.</summary>
    [JsonStringEnumMemberName("owntracks-http")] OwnTracksHttp,
}
