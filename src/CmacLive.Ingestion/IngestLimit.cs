using System.Text.Json.Serialization;

namespace CmacLive.Ingestion;

/// <summary>The limits that hold before work (contract v1.1, "Devices and the network"); each is counted when reached.</summary>
public enum IngestLimit
{
    /// <summary>A packet declared more than <c>Mqtt:MaxPacketBytes</c>: its connection ended before it was buffered.</summary>
    [JsonStringEnumMemberName("packet-too-large")] PacketSize,

    /// <summary>More than <c>Mqtt:MaxConnections</c> open: CONNACK 0x97 (or, far beyond, closed unread).</summary>
    [JsonStringEnumMemberName("too-many-connections")] Connections,

    /// <summary>More than <c>Mqtt:MaxConnectionsPerDevice</c> sessions of one device: CONNACK 0x97.</summary>
    [JsonStringEnumMemberName("too-many-device-connections")] DeviceConnections,

    /// <summary>A CONNECT refused at once during a back-off, without a password check: CONNACK 0x8A.</summary>
    [JsonStringEnumMemberName("connect-backoff")] ConnectBackoff,

    /// <summary>A device id or address that started a back-off after too many failed CONNECTs.</summary>
    [JsonStringEnumMemberName("backoffs-started")] BackoffStarted,

    /// <summary>A TLS handshake that failed or did not finish within <c>Mqtt:ConnectTimeout</c>.</summary>
    [JsonStringEnumMemberName("tls-handshake-failed")] TlsHandshake,

    /// <summary>A connection that ended without a whole packet: no CONNECT within <c>Mqtt:ConnectTimeout</c>, or closed first.</summary>
    [JsonStringEnumMemberName("no-connect")] NoConnect,

    /// <summary>A fixed header no client may send (reserved type, wrong flags, QoS 3), or a packet out of turn (before or after CONNECT).</summary>
    [JsonStringEnumMemberName("malformed-packet")] MalformedPacket,

    /// <summary>A CONNECT (or a phone's request) while another of the same device was being checked: CONNACK 0x89 (3.1.1: 3), HTTP 503; the device tries again.</summary>
    [JsonStringEnumMemberName("connect-busy")] ConnectBusy,

    /// <summary>A phone's request body over <c>Osmand:MaxBodyBytes</c>: 413, refused before it was read whole.</summary>
    [JsonStringEnumMemberName("http-body-too-large")] HttpBodySize,

    /// <summary>A phone's query string over <c>Osmand:MaxQueryLength</c>: 414.</summary>
    [JsonStringEnumMemberName("http-query-too-long")] HttpQueryLength,

    /// <summary>A source address over <c>Osmand:MaxRequestsPerSecondPerAddress</c>: 429.</summary>
    [JsonStringEnumMemberName("http-request-rate")] HttpRequestRate,
}
