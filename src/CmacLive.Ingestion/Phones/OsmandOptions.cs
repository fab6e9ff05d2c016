namespace CmacLive.Ingestion.Phones;

/// <summary>
/// The phones' HTTP endpoint, bound from the <c>Osmand</c> configuration section: the OsmAnd protocol of the Traccar Client
/// app and the OwnTracks app's HTTP mode, on a Kestrel endpoint of its own that answers nothing else.
/// </summary>
public sealed class OsmandOptions
{
    public const string Section = "Osmand";

    /// <summary>The endpoint's TCP port (Traccar's own is 5055); 0 or negative turns it off.</summary>
    public int Port { get; set; } = 5055;

    /// <summary>Listen on this address only (for example 127.0.0.1); by default every IPv4 and IPv6 address.</summary>
    public string? Address { get; set; }

    /// <summary>The largest request body (a form or JSON); larger: 413, refused before it is read whole.</summary>
    public int MaxBodyBytes { get; set; } = 16 * 1024;

    /// <summary>The longest query string, in characters (the OsmAnd parameters of a GET); longer: 414.</summary>
    public int MaxQueryLength { get; set; } = 2048;

    /// <summary>Requests one source address may send each second, on average, whoever they claim to be; beyond, 429.</summary>
    public double MaxRequestsPerSecondPerAddress { get; set; } = 50;

    /// <summary>Requests one source address may send at once above the average (phones behind one carrier NAT catching up).</summary>
    public int RequestBurstPerAddress { get; set; } = 500;

    /// <summary>Source addresses whose request rate is remembered at once; when full, all are forgotten (each starts with a full burst).</summary>
    public int AddressesTracked { get; set; } = 100000;

    public bool Enabled => Port > 0;
}
