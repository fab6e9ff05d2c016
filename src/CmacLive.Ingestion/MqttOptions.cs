namespace CmacLive.Ingestion;

/// <summary>MQTT settings, bound from the <c>Mqtt</c> configuration section.</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>The embedded broker's TCP port; 0 picks a free one.</summary>
    public int Port { get; set; } = 1883;

    public MqttMode Mode { get; set; } = MqttMode.Embedded;

    /// <summary>Listen on this address only (for example 127.0.0.1); by default every IPv4 and IPv6 address.</summary>
    public string? BindAddress { get; set; }
}

public enum MqttMode
{
    Embedded,
    External,
}
