namespace CmacLive.Ingestion;

/// <summary>MQTT settings, bound from the <c>Mqtt</c> configuration section.</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>The embedded broker's TCP port (0 picks a free one), or the external broker's.</summary>
    public int Port { get; set; } = 1883;

    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    /// <summary>External mode: the broker's host name or address.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>External mode: the silo's own login at the broker.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>
    /// External mode: the silo's client id. It must stay the same across restarts of one silo (its
    /// unacknowledged messages wait in that session) and differ between silos. By default
    /// <c>cmaclive-{host name}-{Cluster:SiloPort}</c>.
    /// </summary>
    public string ClientId { get; set; } = "";

    /// <summary>External mode: the shared-subscription group all silos join (<c>$share/{group}/…</c>).</summary>
    public string SharedGroup { get; set; } = "cmaclive";

    /// <summary>External mode: how long the broker keeps the silo's session (and its messages) while it is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>External mode: messages in flight to this silo at once (processed concurrently, acknowledged in order).</summary>
    public ushort ReceiveMaximum { get; set; } = 100;

    /// <summary>Listen on this address only (for example 127.0.0.1); by default every IPv4 and IPv6 address.</summary>
    public string? BindAddress { get; set; }

    /// <summary>
    /// External mode: the silo keeps the devices' logins and topic rights in Mosquitto's dynamic-security plugin
    /// (<c>$CONTROL/dynamic-security/v1</c>), so a device change over REST holds at the broker too. False: the
    /// broker's logins are kept by hand (a password file and an ACL, or a broker other than Mosquitto).
    /// </summary>
    public bool DynamicSecurity { get; set; } = true;

    /// <summary>External mode with dynamic security: how long a device change waits for the broker's confirmation before it answers 503.</summary>
    public TimeSpan DynamicSecurityTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Embedded mode: plain MQTT on <see cref="Port"/>; false leaves only MQTT over TLS.</summary>
    public bool Plain { get; set; } = true;

    /// <summary>MQTT over TLS: the embedded broker's TLS listener, or how the silo reaches an external broker.</summary>
    public MqttTlsOptions Tls { get; set; } = new();

    /// <summary>A packet declaring more than this ends its connection (MQTT 5: DISCONNECT 0x95) before any of it is buffered.</summary>
    public int MaxPacketBytes { get; set; } = 65536;

    /// <summary>Sessions one device may hold at once on this silo; beyond, CONNACK 0x97 (MQTT 3.1.1: 3).</summary>
    public int MaxConnectionsPerDevice { get; set; } = 4;

    /// <summary>Open connections on this silo's broker; beyond, CONNACK 0x97 (MQTT 3.1.1: 3).</summary>
    public int MaxConnections { get; set; } = 50000;

    /// <summary>Uplinks a device may send each second, on average; beyond, MQTT 5 PUBACK 0x96, counted <c>rate-limited</c>.</summary>
    public double MaxMessagesPerSecondPerDevice { get; set; } = 20;

    /// <summary>Uplinks a device may send at once above the average (a tracker sending what it buffered).</summary>
    public int MessageBurstPerDevice { get; set; } = 100;

    /// <summary>Failed CONNECTs of one device id within a minute that start a back-off for it.</summary>
    public int ConnectFailureLimit { get; set; } = 5;

    /// <summary>
    /// Failed CONNECTs from one source address within a minute that start a back-off for it. Devices behind a
    /// carrier NAT share an address: a device whose secret this silo accepted before still gets through.
    /// </summary>
    public int ConnectFailureLimitPerAddress { get; set; } = 5;

    /// <summary>The first back-off after too many failed CONNECTs; it doubles with each further one.</summary>
    public TimeSpan ConnectBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan ConnectMaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Device ids and addresses whose failed CONNECTs are remembered at once.</summary>
    public int ConnectFailuresTracked { get; set; } = 100000;

    /// <summary>How long a new connection may take to send its CONNECT (and finish its TLS handshake).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
