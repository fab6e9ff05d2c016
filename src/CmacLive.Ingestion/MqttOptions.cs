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
}

public enum MqttMode
{
    Embedded,
    External,
}
