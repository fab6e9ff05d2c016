namespace CmacLive.Silo.Extensions;

/// <summary>The <c>Cluster</c> configuration section.</summary>
public sealed class SiloClusterOptions
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
    public ClusterTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// How long a silo waits for another's answer to a liveness probe. With <see cref="MissedProbesLimit"/> it sets how soon
    /// a dead silo is declared dead (Orleans' default, 5 s × 3, took 11–15 s); a silo under local strain lengthens
    /// its own probe timeout rather than suspect others (Orleans' degradation monitor), so a busy machine does not
    /// declare healthy silos dead.
    /// </summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Probes a silo may miss in a row before the prober votes it dead.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>Votes that declare a silo dead (fewer when fewer silos are alive to vote).</summary>
    public int DeathVotes { get; set; } = 2;
}
