using CmacLive.Tracking;

namespace CmacLive.Ingestion.Phones;

/// <summary>What is wrong with a phone's request: the reason counted, the request's field at fault (as the request names it) and why.</summary>
internal readonly record struct PhoneProblem(RejectReason Reason, string Field, string Message);
