using CmacLive.Assets;
using CmacLive.Tracking;

namespace CmacLive.Ingestion;

/// <summary>A decoded uplink: one report, or the reason it was refused.</summary>
public readonly record struct Decoded(
    DecodedKind Kind,
    FixReport? Fix = null,
    StatusReport? Status = null,
    DetectionReport? Detection = null,
    FindReport? Find = null,
    AckReport? Ack = null,
    RejectReason Reason = default,
    string? Detail = null)
{
    public static Decoded Reject(RejectReason reason, string detail) => new(DecodedKind.Rejected, Reason: reason, Detail: detail);

    public static readonly Decoded Ignored = new(DecodedKind.Ignored);

    public static readonly Decoded Gone = new(DecodedKind.Gone);
}
