namespace CmacLive.Api.Docs;

/// <summary>
/// One value of a route's <c>format</c> query parameter and the 200 answer it gives: its media type, and the type written
/// when it is JSON (none: text such as CSV, GPX or KML). <see cref="OperationAnswers"/> lists the values in the parameter and
/// puts each answer the route's own <c>Produces</c> does not describe beside it.
/// </summary>
public sealed record AnswerFormat(string Format, string ContentType, Type? Body = null);
