using System.Diagnostics.Metrics;
using CmacLive.Assets;
using CmacLive.Throttling;
using CmacLive.Tracking;

namespace CmacLive.Ingestion;

/// <summary>
/// This silo's counts of accepted and refused uplinks, by outcome and by reason: exported as metrics
/// (meter <c>CmacLive.Ingestion</c>: <c>cmaclive.uplinks</c> tagged <c>outcome</c> and <c>reason</c>, scraped as
/// <c>cmaclive_uplinks_total</c>) and readable as a snapshot for operators.
/// </summary>
public sealed class IngestStats
{
    public const string MeterName = "CmacLive.Ingestion";

    private static readonly KeyValuePair<string, object?> AcceptedTag = new("outcome", "accepted");
    private static readonly KeyValuePair<string, object?> IgnoredTag = new("outcome", "ignored");
    private static readonly KeyValuePair<string, object?> RejectedTag = new("outcome", "rejected");
    private static readonly KeyValuePair<string, object?> NoReasonTag = new("reason", "none");

    private readonly long[] _accepted = new long[Enum.GetValues<ReportOutcome>().Length + 1];
    private readonly long[] _rejected = new long[Enum.GetValues<RejectReason>().Length];
    private readonly long[] _limits = new long[Enum.GetValues<IngestLimit>().Length];

    // The tags of every measurement are made once, so counting an uplink allocates nothing and looks nothing up.
    private readonly KeyValuePair<string, object?>[] _acceptedReasons =
        [.. Enum.GetValues<ReportOutcome>().Select(o => new KeyValuePair<string, object?>("reason", Name(o)))];
    private readonly KeyValuePair<string, object?>[] _rejectedReasons =
        [.. Enum.GetValues<RejectReason>().Select(r => new KeyValuePair<string, object?>("reason", Name(r)))];
    private readonly KeyValuePair<string, object?>[] _limitTags =
        [.. Enum.GetValues<IngestLimit>().Select(l => new KeyValuePair<string, object?>("limit", Name(l)))];

    private readonly Meter _meter;
    private readonly Counter<long> _uplinks;
    private readonly Counter<long> _limitCounter;
    private readonly long[] _bySource = new long[Enum.GetValues<UplinkSource>().Length * SourceSlots];
    private readonly Counter<long> _sourceCounter;

    /// <summary>The source counter's tags, by the same slot as <see cref="_bySource"/>: made once, as the others.</summary>
    private readonly (KeyValuePair<string, object?> Source, KeyValuePair<string, object?> Status)[] _sourceTags =
    [
        .. Enum.GetValues<UplinkSource>().SelectMany(source => Enum.GetValues<UplinkStatus>().Select(WireNames.Of).Append(Unauthorized)
            .Select(status => (new KeyValuePair<string, object?>("source", WireNames.Of(source)), new KeyValuePair<string, object?>("status", status)))),
    ];
    private long _connectionsRefused;
    private long _sosAnnounced;
    private long _sosNotFastTracked;
    private long _phoneSos;

    public IngestStats(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _uplinks = _meter.CreateCounter<long>("cmaclive.uplinks",
            description: "Uplinks handled, by outcome (accepted, ignored, rejected) and reason (applied, duplicate, late; or why it was refused)");
        _limitCounter = _meter.CreateCounter<long>("cmaclive.ingest.limited", description: "Connections and packets refused by a limit, by limit");
        _sourceCounter = _meter.CreateCounter<long>("cmaclive.ingest.uplinks", description: "Uplinks by how they came in (MQTT, OsmAnd, OwnTracks over HTTP) and what became of them");
    }

    /// <summary>Publishes the number of devices with at least one MQTT session open on this silo (the embedded broker only).</summary>
    public void ObserveConnectedDevices(Func<long> connected) =>
        _meter.CreateObservableGauge("cmaclive.devices.connected", connected, description: "Devices with an MQTT session open on this silo's broker");

    /// <summary>Per source: one slot per <see cref="UplinkStatus"/>, and one more for requests whose credentials were refused (HTTP).</summary>
    private static readonly int SourceSlots = Enum.GetValues<UplinkStatus>().Length + 1;

    private const string Unauthorized = "unauthorized";

    /// <summary>Which refusals start an episode: a limit is logged once per episode (per address or device), not per packet.</summary>
    public RefusalEpisodes Episodes { get; } = new(TimeSpan.FromMinutes(1), 10000, TimeProvider.System);

    /// <summary>The slot after the last outcome counts messages understood and deliberately ignored.</summary>
    private static int IgnoredSlot => Enum.GetValues<ReportOutcome>().Length;

    public void Accepted(ReportOutcome outcome)
    {
        Interlocked.Increment(ref _accepted[(int)outcome]);
        _uplinks.Add(1, AcceptedTag, _acceptedReasons[(int)outcome]);
    }

    public void Ignored()
    {
        Interlocked.Increment(ref _accepted[IgnoredSlot]);
        _uplinks.Add(1, IgnoredTag, NoReasonTag);
    }

    public void Rejected(RejectReason reason)
    {
        Interlocked.Increment(ref _rejected[(int)reason]);
        _uplinks.Add(1, RejectedTag, _rejectedReasons[(int)reason]);
    }

    public void ConnectionRefused() => Interlocked.Increment(ref _connectionsRefused);

    /// <summary>An uplink from <paramref name="source"/> came to <paramref name="status"/> (besides its outcome or reason, counted apart).</summary>
    public void FromSource(UplinkSource source, UplinkStatus status)
    {
        var slot = (int)source * SourceSlots + (int)status;
        Interlocked.Increment(ref _bySource[slot]);
        _sourceCounter.Add(1, _sourceTags[slot].Source, _sourceTags[slot].Status);
    }

    /// <summary>A request from <paramref name="source"/> (HTTP) without credentials, or whose credentials were refused.</summary>
    public void Unauthenticated(UplinkSource source)
    {
        var slot = (int)source * SourceSlots + SourceSlots - 1;
        Interlocked.Increment(ref _bySource[slot]);
        _sourceCounter.Add(1, _sourceTags[slot].Source, _sourceTags[slot].Status);
    }

    /// <summary>An SOS was pushed to every hub by the fast lane.</summary>
    public void SosFastTracked() => Interlocked.Increment(ref _sosAnnounced);

    /// <summary>An SOS whose device's asset could not be learned: it waits for the grains like any alert.</summary>
    public void SosNotFastTracked() => Interlocked.Increment(ref _sosNotFastTracked);

    /// <summary>A phone's SOS button raised an SOS alert (Traccar Client's <c>alarm=sos</c>).</summary>
    public void PhoneSos() => Interlocked.Increment(ref _phoneSos);

    public void LimitReached(IngestLimit limit)
    {
        Interlocked.Increment(ref _limits[(int)limit]);
        _limitCounter.Add(1, _limitTags[(int)limit]);
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
        },
        Enum.GetValues<UplinkSource>().ToDictionary(WireNames.Of, source => (IReadOnlyDictionary<string, long>)Enum.GetValues<UplinkStatus>()
            .Select(status => (WireNames.Of(status), Interlocked.Read(ref _bySource[(int)source * SourceSlots + (int)status])))
            .Append((Unauthorized, Interlocked.Read(ref _bySource[(int)source * SourceSlots + SourceSlots - 1])))
            .ToDictionary(p => p.Item1, p => p.Item2)),
        Interlocked.Read(ref _phoneSos));

    public static string Name(IngestLimit limit) => WireNames.Of(limit);

    public static string Name(RejectReason reason) => WireNames.Of(reason);

    private static string Name(ReportOutcome outcome) => WireNames.Of(outcome);
}
