namespace CmacLive.Ingestion;

/// <summary>MQTT over TLS, bound from <c>Mqtt:Tls</c>.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>The embedded broker's TLS port (0 picks a free one); in External mode, the broker's TLS port.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>Embedded mode: the server certificate (PEM path, the chain may follow it). TLS is on when it and <see cref="Key"/> are set.</summary>
    public string? Certificate { get; set; }

    /// <summary>Embedded mode: the certificate's private key (PEM path).</summary>
    public string? Key { get; set; }

    /// <summary>External mode: connect to the broker over TLS on <see cref="Port"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>External mode: the CA that signs the broker's certificate (PEM path), when not one the system trusts.</summary>
    public string? Authority { get; set; }

    public bool IsServerConfigured => !string.IsNullOrWhiteSpace(Certificate) && !string.IsNullOrWhiteSpace(Key);
}
