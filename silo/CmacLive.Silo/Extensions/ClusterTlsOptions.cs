namespace CmacLive.Silo.Extensions;

/// <summary>The <c>Cluster:Tls</c> section: PEM files for mutual TLS between silos.</summary>
public sealed class ClusterTlsOptions
{
    /// <summary>This silo's certificate (PEM); it must allow server and client authentication, since a silo is both.</summary>
    public string? Certificate { get; set; }

    /// <summary>The certificate's private key (unencrypted PEM).</summary>
    public string? Key { get; set; }

    /// <summary>
    /// The certificate (PEM; several may be concatenated) of the authority that signs silo certificates: a peer is
    /// trusted when its certificate chains to it. Without it, a peer must present this silo's very own certificate
    /// (one certificate shared by the whole cluster).
    /// </summary>
    public string? Authority { get; set; }

    public bool IsSet => !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(Key) || !string.IsNullOrWhiteSpace(Authority);
}
