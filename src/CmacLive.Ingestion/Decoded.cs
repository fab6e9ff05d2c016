using CmacLive.Assets;
using CmacLive.Tracking;

namespace CmacLive.Ingestion;

/// <summary>A decoded uplink: one report, or the reason it was refused (and the member at fault, when one is).</summary>
public readonly record struct Decoded(
    DecodedKind Kind,
    FixReport? Fix = null,
    StatusReport? Status = null,
    DetectionReport? Detection = null,
    FindReport? Find = null,
    AckReport? Ack = null,
    RejectReason Reason = default,
    string? Detail = null,
    string? Field = null)
{
    public static Decoded Reject(RejectReason reason, string detail) => new(DecodedKind.Rejected, Reason: reason, Detail: detail);

    /// <summary>A refusal for one member of the payload, named as the payload names it; <paramref name="detail"/> begins with that name.</summary>
    public static Decoded Reject(RejectReason reason, string field, string detail) => new(DecodedKind.Rejected, Reason: reason, Detail: detail, Field: field);

    public static readonly Decoded Ignored = new(DecodedKind.Ignored);

    public static readonly Decoded Gone = new(DecodedKind.Gone);
}
