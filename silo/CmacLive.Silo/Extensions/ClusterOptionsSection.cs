namespace CmacLive.Silo.Extensions;

/// <summary>The <c>Cluster</c> configuration section.</summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    /// <summary><c>Localhost</c> (one silo) or <c>Postgres</c> (ADO.NET clustering).</summary>
    public string Provider { get; set; } = "Localhost";

    public string? ConnectionString { get; set; }

    public int SiloPort { get; set; } = 11111;

    /// <summary>
    /// The Orleans gateway (for Orleans clients outside the silo); 0, the default, opens none: nothing outside the silo
    /// needs one, and a gateway answers any grain call without the REST API's authentication.
    /// </summary>
    public int GatewayPort { get; set; }

    /// <summary>The address other silos reach this one at (Postgres clustering); by default the host's own.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Names the deployment; every silo of one cluster shares it.</summary>
    public string ClusterId { get; set; } = "cmaclive";

    /// <summary>Names the stored data; never change it for an existing database.</summary>
    public string ServiceId { get; set; } = "cmaclive";

    /// <summary>Mutual TLS between silos (and on the gateway, when one is opened); off unless set.</summary>
    public ClusterTlsSettings Tls { get; set; } = new();
}
