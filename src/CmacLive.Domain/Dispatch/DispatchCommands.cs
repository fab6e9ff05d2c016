using System.Text.Encodings.Web;
using System.Text.Json;

namespace CmacLive.Dispatch;

/// <summary>
/// The downlinks of a dispatch, as JSON for <c>cmac/v1/{deviceId}/cmd</c>: times as <see cref="WireTime"/> writes them, and
/// text escaped only where JSON requires it (a phone's <c>+</c>, a Khmer village name, go as they are, in UTF-8).
/// </summary>
public static class DispatchCommands
{
    /// <summary><c>{"type":"assignment", "requestId", "lat", "lon", "priority", "found", place names, "description", "reporterPhone", "onSiteDue", "assignedAt"}</c>.</summary>
    public static string Assignment(DispatchRequestView request)
    {
        var report = request.Report;
        return Write(w =>
        {
            w.WriteString("type", "assignment");
            w.WriteString("requestId", request.Id);
            w.WriteNumber("lat", report.Lat);
            w.WriteNumber("lon", report.Lon);
            w.WriteString("priority", WireNames.Of(request.Priority));
            w.WriteString("found", WireNames.Of(report.Found));
            Optional(w, "village", report.Village);
            Optional(w, "commune", report.Commune);
            Optional(w, "district", report.District);
            Optional(w, "province", report.Province);
            Optional(w, "description", report.Description);
            Optional(w, "reporterPhone", report.ReporterPhone);
            w.WriteString("onSiteDue", WireTime.Of(request.OnSiteDue));
            if (request.AssignedAt is { } assigned)
            {
                w.WriteString("assignedAt", WireTime.Of(assigned));
            }
        });
    }

    /// <summary><c>{"type":"cancelled", "requestId", "reason"?}</c>: the team is no longer sent (the request was cancelled or given to another team).</summary>
    public static string Cancelled(string requestId, string? reason) => Write(w =>
    {
        w.WriteString("type", "cancelled");
        w.WriteString("requestId", requestId);
        Optional(w, "reason", reason);
    });

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
