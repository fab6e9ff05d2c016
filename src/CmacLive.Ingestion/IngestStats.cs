using System.Diagnostics.Metrics;
using CmacLive.Assets;
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
    private long _connectionsRefused;

    public IngestStats(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _acceptedCounter = meter.CreateCounter<long>("cmaclive.ingest.accepted", description: "Uplinks accepted, by outcome");
        _rejectedCounter = meter.CreateCounter<long>("cmaclive.ingest.rejected", description: "Uplinks refused, by reason");
    }

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

    public IngestStatsSnapshot Snapshot() => new(
        Enum.GetValues<ReportOutcome>().Where(o => o is not (ReportOutcome.UnknownDevice or ReportOutcome.Refused or ReportOutcome.Forbidden))
            .Select(o => (Name(o), Interlocked.Read(ref _accepted[(int)o])))
            .Append(("ignored", Interlocked.Read(ref _accepted[IgnoredSlot])))
            .ToDictionary(p => p.Item1, p => p.Item2),
        Enum.GetValues<RejectReason>().ToDictionary(Name, r => Interlocked.Read(ref _rejected[(int)r])),
        Interlocked.Read(ref _connectionsRefused));

    public static string Name(RejectReason reason) => reason switch
    {
        RejectReason.Malformed => "malformed",
        RejectReason.OutOfRange => "out-of-range",
        RejectReason.NoFix => "no-fix",
        RejectReason.FutureTime => "future-time",
        RejectReason.AncientTime => "ancient-time",
        RejectReason.TooLarge => "too-large",
        RejectReason.Forbidden => "forbidden",
        RejectReason.UnknownTopic => "unknown-topic",
        RejectReason.UnknownDevice => "unknown-device",
        RejectReason.Failed => "failed",
        RejectReason.Conflict => "conflict",
        _ => reason.ToString().ToLowerInvariant(),
    };

    private static string Name(ReportOutcome outcome) => outcome.ToString().ToLowerInvariant();
}

/// <summary>Counts since this silo started.</summary>
public sealed record IngestStatsSnapshot(
    IReadOnlyDictionary<string, long> Accepted,
    IReadOnlyDictionary<string, long> Rejected,
    long ConnectionsRefused);
