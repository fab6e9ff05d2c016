using System.Diagnostics.Metrics;
using System.Text.Json.Serialization;
using CmacLive.Assets;
using CmacLive.Throttling;
using CmacLive.Tracking;

namespace CmacLive.Ingestion;

/// <summary>
/// This silo's counts of accepted and refused uplinks, by outcome and by reason: exported as metrics
/// (meter <c>CmacLive.Ingestion</c>) and readable as a snapshot for operators.
/// </summary>
public sealed class IngestStats
{
    public const string MeterName = "CmacLive.Ingestion";

    private readonly long[] _accepted = new long[Enum.GetValues<ReportOutcome>().Length + 1];
    private readonly long[] _rejected = new long[Enum.GetValues<RejectReason>().Length];
    private readonly Counter<long> _acceptedCounter;
    private readonly Counter<long> _rejectedCounter;
    private readonly long[] _limits = new long[Enum.GetValues<IngestLimit>().Length];
    private readonly Counter<long> _limitCounter;
    private long _connectionsRefused;
    private long _sosAnnounced;
    private long _sosNotFastTracked;

    public IngestStats(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _acceptedCounter = meter.CreateCounter<long>("cmaclive.ingest.accepted", description: "Uplinks accepted, by outcome");
        _rejectedCounter = meter.CreateCounter<long>("cmaclive.ingest.rejected", description: "Uplinks refused, by reason");
        _limitCounter = meter.CreateCounter<long>("cmaclive.ingest.limited", description: "Connections and packets refused by a limit, by limit");
    }

    /// <summary>Which refusals start an episode: a limit is logged once per episode (per address or device), not per packet.</summary>
    public RefusalEpisodes Episodes { get; } = new(TimeSpan.FromMinutes(1), 10000, TimeProvider.System);

    /// <summary>The slot after the last outcome counts messages understood and deliberately ignored.</summary>
    private static int IgnoredSlot => Enum.GetValues<ReportOutcome>().Length;

    public void Accepted(ReportOutcome outcome)
    {
        Interlocked.Increment(ref _accepted[(int)outcome]);
        _acceptedCounter.Add(1, new KeyValuePair<string, object?>("outcome", Name(outcome)));
    }

    public void Ignored()
    {
        Interlocked.Increment(ref _accepted[IgnoredSlot]);
        _acceptedCounter.Add(1, new KeyValuePair<string, object?>("outcome", "ignored"));
    }

    public void Rejected(RejectReason reason)
    {
        Interlocked.Increment(ref _rejected[(int)reason]);
        _rejectedCounter.Add(1, new KeyValuePair<string, object?>("reason", Name(reason)));
    }

    public void ConnectionRefused() => Interlocked.Increment(ref _connectionsRefused);

    /// <summary>An SOS was pushed to every hub by the fast lane.</summary>
    public void SosFastTracked() => Interlocked.Increment(ref _sosAnnounced);

    /// <summary>An SOS whose device's asset could not be learned: it waits for the grains like any alert.</summary>
    public void SosNotFastTracked() => Interlocked.Increment(ref _sosNotFastTracked);

    public void LimitReached(IngestLimit limit)
    {
        Interlocked.Increment(ref _limits[(int)limit]);
        _limitCounter.Add(1, new KeyValuePair<string, object?>("limit", Name(limit)));
    }

    /// <summary>Counts a limit reached by <paramref name="who"/> (an address, a device); true when it starts an episode to log.</summary>
    public bool LimitReached(IngestLimit limit, string who, out long unloggedBefore)
    {
        LimitReached(limit);
        return Episodes.Starts($"{Name(limit)}:{who}", out unloggedBefore);
    }

    public IngestStatsSnapshot Snapshot() => new(
        Enum.GetValues<ReportOutcome>().Where(o => o is not (ReportOutcome.UnknownDevice or ReportOutcome.Refused or ReportOutcome.Forbidden))
            .Select(o => (Name(o), Interlocked.Read(ref _accepted[(int)o])))
            .Append(("ignored", Interlocked.Read(ref _accepted[IgnoredSlot])))
            .ToDictionary(p => p.Item1, p => p.Item2),
        Enum.GetValues<RejectReason>().ToDictionary(Name, r => Interlocked.Read(ref _rejected[(int)r])),
        Interlocked.Read(ref _connectionsRefused),
        Enum.GetValues<IngestLimit>().ToDictionary(Name, l => Interlocked.Read(ref _limits[(int)l])),
        new Dictionary<string, long>
        {
            ["announced"] = Interlocked.Read(ref _sosAnnounced),
            ["not-fast-tracked"] = Interlocked.Read(ref _sosNotFastTracked),
        });

    public static string Name(IngestLimit limit) => WireNames.Of(limit);

    public static string Name(RejectReason reason) => WireNames.Of(reason);

    private static string Name(ReportOutcome outcome) => WireNames.Of(outcome);
}

/// <summary>Counts since this silo started.</summary>
public sealed record IngestStatsSnapshot(
    IReadOnlyDictionary<string, long> Accepted,
    IReadOnlyDictionary<string, long> Rejected,
    long ConnectionsRefused,
    IReadOnlyDictionary<string, long> Limits,
    IReadOnlyDictionary<string, long> SosFastLane);

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

    /// <summary>A CONNECT while another of the same device was being checked: CONNACK 0x89 (3.1.1: 3), the device tries again.</summary>
    [JsonStringEnumMemberName("connect-busy")] ConnectBusy,
}
