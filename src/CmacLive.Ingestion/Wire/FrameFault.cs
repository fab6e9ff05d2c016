namespace CmacLive.Ingestion.Wire;

/// <summary>What ended a connection at the framing, before MQTTnet read the packet.</summary>
internal enum FrameFault
{
    None,

    /// <summary>A packet declared more than <c>Mqtt:MaxPacketBytes</c>.</summary>
    TooLarge,

    /// <summary>Flags a packet type does not allow, QoS 3, or a remaining length longer than four bytes.</summary>
    Malformed,

    /// <summary>A packet a client may not send, or not now: anything before CONNECT, CONNECT again, a server's packet.</summary>
    ProtocolError,
}
