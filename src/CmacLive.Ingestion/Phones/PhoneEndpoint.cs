using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Devices;
using CmacLive.Tracking;
using CmacLive.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CmacLive.Ingestion.Phones;

/// <summary>
/// Everything the phones' port (<c>Osmand:Port</c>) answers: the OsmAnd protocol at <c>/</c> (a GET query, a POST form or the
/// JSON body of the Traccar Client app) and the OwnTracks app's HTTP mode (a JSON body with <c>_type</c>, at <c>/</c> or
/// <c>/owntracks</c>). A request is authenticated as the device it names, by HTTP Basic (device id, secret) or by its secret as
/// <c>key=</c>, through the same secret check, back-off and uplink rate as an MQTT CONNECT and PUBLISH, then handed as the
/// contract's payload to <see cref="UplinkProcessor"/>: decoded, validated, ordered and stored as an MQTT fix is. 200 means
/// stored; the apps send anything else again later, which is what "not stored" (429, 503) asks for.
/// </summary>
public sealed partial class PhoneEndpoint(
    IOptions<OsmandOptions> options,
    IOptions<MqttOptions> mqtt,
    AddressRate rate,
    DeviceSecretCheck secrets,
    DeviceGate gate,
    UplinkProcessor uplinks,
    IGrainFactory grains,
    IngestStats stats,
    TimeProvider time,
    ILogger<PhoneEndpoint> logger)
{
    public const string OwnTracksPath = "/owntracks";

    private static readonly ReadOnlyMemory<byte> EmptyArray = "[]"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await HandleRequestAsync(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel gave up on the request (a body sent too slowly, a broken chunk): its status, nothing applied.
            context.Response.StatusCode = ex.StatusCode;
        }
    }

    private async Task HandleRequestAsync(HttpContext context)
    {
        var request = context.Request;
        var address = AddressOf(context);
        var source = request.Path.Equals(OwnTracksPath, StringComparison.OrdinalIgnoreCase) ? UplinkSource.OwnTracksHttp : UplinkSource.Osmand;
        var settings = options.Value;
        if (!rate.TryTake(address))
        {
            if (stats.LimitReached(IngestLimit.HttpRequestRate, address, out var unlogged))
            {
                LogAddressRateLimited(address, settings.MaxRequestsPerSecondPerAddress, unlogged);
            }

            await RefuseAsync(context, source, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"more than Osmand:MaxRequestsPerSecondPerAddress ({settings.MaxRequestsPerSecondPerAddress}) requests a second from this address",
                retryAfter: TimeSpan.FromSeconds(1));
            return;
        }

        if (source != UplinkSource.OwnTracksHttp && request.Path != "/")
        {
            stats.Rejected(RejectReason.UnknownTopic);
            await RefuseAsync(context, source, StatusCodes.Status404NotFound, "Not found", $"this port answers phones only, at / (OsmAnd, OwnTracks) and {OwnTracksPath}");
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsPost(request.Method))
        {
            stats.Rejected(RejectReason.Malformed);
            context.Response.Headers.Allow = "GET, POST";
            await RefuseAsync(context, source, StatusCodes.Status405MethodNotAllowed, "Method not allowed", "send GET or POST");
            return;
        }

        var query = request.QueryString.HasValue ? request.QueryString.Value! : "";
        if (query.Length > settings.MaxQueryLength)
        {
            stats.LimitReached(IngestLimit.HttpQueryLength);
            await RefuseAsync(context, source, StatusCodes.Status414UriTooLong, "Query too long",
                $"the query string is longer than Osmand:MaxQueryLength ({settings.MaxQueryLength} characters)", field: "query");
            return;
        }

        var body = await ReadBodyAsync(request, settings.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            stats.LimitReached(IngestLimit.HttpBodySize);
            await RefuseAsync(context, source, StatusCodes.Status413PayloadTooLarge, "Body too large",
                $"the body is larger than Osmand:MaxBodyBytes ({settings.MaxBodyBytes} bytes)", field: "body");
            return;
        }

        var json = request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true;
        if (source == UplinkSource.Osmand && json && HasOwnTracksType(body))
        {
            source = UplinkSource.OwnTracksHttp;
        }

        var parameters = QueryHelpers.ParseQuery(query);
        var now = time.GetUtcNow();
        var report = source == UplinkSource.OwnTracksHttp ? new PhoneReport()
            : json ? OsmandJson.Read(body, now) with { Key = One(parameters, "key") }
            : OsmandParameters.Read(Merge(parameters, body), now);
        await ReportAsync(context, source, address, report, body);
    }

    /// <summary>Who the request is, whether it may report, and what became of its report.</summary>
    private async Task ReportAsync(HttpContext context, UplinkSource source, string address, PhoneReport report, byte[] body)
    {
        var basic = Basic(context.Request);
        if (basic is { } credentials && report.DeviceId is { } claimed && claimed != credentials.User)
        {
            stats.Rejected(RejectReason.Forbidden);
            await RefuseAsync(context, source, StatusCodes.Status403Forbidden, "Another device",
                "the id in the request names another device than the credentials", field: "id", reason: RejectReason.Forbidden);
            return;
        }

        var deviceId = basic?.User ?? report.DeviceId;
        var secret = basic?.Password ?? report.Key;
        if ((deviceId is null || secret is null) && report.Problem is { } unreadable)
        {
            // No one to name: answered and counted as any, logged once per episode of the address (a scanner is not a device).
            await ProblemAsync(context, source, deviceId, unreadable, log: stats.Episodes.Starts($"phone-unreadable:{address}", out _));
            return;
        }

        if (!DeviceIds.IsValid(deviceId) || string.IsNullOrEmpty(secret) || secret.Length > InputLimits.Secret)
        {
            await UnauthorizedAsync(context, source, address, deviceId is null || secret is null
                ? "no credentials: send HTTP Basic (device id, secret), or the device's id and its secret as key="
                : "not a device id, or not a secret");
            return;
        }

        SecretCheck check;
        try
        {
            check = await secrets.CheckAsync(deviceId, address, secret);
        }
        catch (Exception ex)
        {
            LogCheckFailed(ex, deviceId);
            await RefuseAsync(context, source, StatusCodes.Status503ServiceUnavailable, "Not checked", "the device could not be checked; send again",
                counted: UplinkStatus.Failed, retryAfter: TimeSpan.FromSeconds(5));
            return;
        }

        if (check.Backoff is { } backoff)
        {
            stats.Unauthenticated(source);
            await RefuseAsync(context, null, StatusCodes.Status429TooManyRequests, "Too many failed logins",
                $"too many failed logins of this device or from this address; try again in {Math.Ceiling(backoff.TotalSeconds)} s", retryAfter: backoff);
            return;
        }

        if (check.Busy)
        {
            await RefuseAsync(context, source, StatusCodes.Status503ServiceUnavailable, "Busy", "another login of the device is being checked; send again",
                counted: UplinkStatus.Failed, retryAfter: TimeSpan.FromSeconds(1));
            return;
        }

        if (check.Asset is not { } asset)
        {
            await UnauthorizedAsync(context, source, address, "unknown device or wrong secret");
            return;
        }

        // An SOS takes the safety bucket, as an MQTT status does: a flood of fixes never holds it back.
        if (!gate.TryUplink(deviceId, safety: report.Sos is not null, out var episodeStarts))
        {
            stats.Rejected(RejectReason.RateLimited);
            if (episodeStarts)
            {
                LogDeviceRateLimited(deviceId, mqtt.Value.MaxMessagesPerSecondPerDevice, mqtt.Value.MessageBurstPerDevice);
            }

            await RefuseAsync(context, source, StatusCodes.Status429TooManyRequests, "Too many reports",
                $"more than Mqtt:MaxMessagesPerSecondPerDevice ({mqtt.Value.MaxMessagesPerSecondPerDevice}) reports a second", reason: RejectReason.RateLimited,
                retryAfter: TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(1 / mqtt.Value.MaxMessagesPerSecondPerDevice))));
            return;
        }

        // Raised before the fix is looked at: an SOS is never lost to a fix that is refused.
        if (report.Sos is { } sos && !await RaiseSosAsync(deviceId, asset, sos))
        {
            await RefuseAsync(context, source, StatusCodes.Status503ServiceUnavailable, "SOS not raised", "the SOS could not be raised; send again",
                counted: UplinkStatus.Failed, retryAfter: TimeSpan.FromSeconds(1));
            return;
        }

        if (report.Problem is { } problem)
        {
            await ProblemAsync(context, source, deviceId, problem);
            return;
        }

        var (topic, payload) = source == UplinkSource.OwnTracksHttp
            ? ($"owntracks/{deviceId}/http", body.Length == 0 ? null : body) // an empty body (a friend deleted in the app) is ignored
            : ($"cmac/v1/{deviceId}/position", report.Payload);
        if (payload is null)
        {
            stats.Ignored();
            stats.FromSource(source, UplinkStatus.Ignored);
            await StoredAsync(context, source);
            return;
        }

        var outcome = await uplinks.ProcessAsync(deviceId, topic, new ReadOnlySequence<byte>(payload), new DeviceBinding(grains, deviceId, asset), source);
        await AnswerAsync(context, source, report, outcome);
    }

    /// <summary>
    /// A phone's SOS button: an app has no state to report and nothing to end an SOS with, so it is a critical <c>sos</c>
    /// alert of the asset, raised and cleared at once, open until someone acknowledges it, and sounded on every dashboard.
    /// The same report sent again (the app's queue after a failure) is the same alert. False when it could not be raised.
    /// </summary>
    private async Task<bool> RaiseSosAsync(string deviceId, AssetRef assetRef, PhoneSos sos)
    {
        var asset = assetRef.Id;
        try
        {
            var status = await AssetGrains.Get(grains, assetRef).GetStatus();
            var where = sos is { Lat: { } lat, Lon: { } lon } ? string.Create(CultureInfo.InvariantCulture, $" at {lat:0.000000}, {lon:0.000000}") : "";
            var now = time.GetUtcNow();
            var id = AlertIds.For(AlertKinds.Sos, asset, sos.Key);
            var alert = new Alert
            {
                Id = id,
                Kind = AlertKinds.Sos,
                Severity = AlertSeverity.Critical,
                AssetId = asset,
                HazardArea = status?.HazardArea,
                Unit = status?.Unit,
                Message = $"SOS from {status?.Name ?? asset} ({asset}){where}: the SOS button of phone {deviceId}; acknowledge once it is handled",
                RaisedAt = now,
            };
            await grains.GetGrain<IAlertLedgerGrain>(0).Apply([AlertSignal.Raise(alert), AlertSignal.Cleared(id, now)]);
            stats.PhoneSos();
            LogPhoneSos(deviceId, asset, id);
            return true;
        }
        catch (Exception ex)
        {
            LogPhoneSosFailed(ex, deviceId, asset);
            return false;
        }
    }

    private Task AnswerAsync(HttpContext context, UplinkSource source, PhoneReport report, UplinkOutcome outcome)
    {
        switch (outcome.Status)
        {
            case UplinkStatus.Accepted or UplinkStatus.Ignored:
                return StoredAsync(context, source);
            case UplinkStatus.Failed:
                return Write(context, StatusCodes.Status503ServiceUnavailable, "Not stored", outcome.Detail ?? "not stored; send again",
                    retryAfter: TimeSpan.FromSeconds(5));
        }

        var field = report.NameOf(outcome.Field);
        var detail = outcome.Detail ?? WireNames.Of(outcome.Reason);
        if (outcome.Field is { } member && detail.StartsWith(member + " ", StringComparison.Ordinal))
        {
            detail = field + detail[member.Length..]; // named as the request named it: speed, not spd
        }

        var status = outcome.Reason switch
        {
            RejectReason.UnknownDevice => StatusCodes.Status401Unauthorized,
            RejectReason.Forbidden => StatusCodes.Status403Forbidden,
            RejectReason.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };
        return Write(context, status, "Refused", detail, field, outcome.Reason);
    }

    /// <summary>A request whose report is malformed: 400 naming the field; counted (the processor never saw it).</summary>
    private Task ProblemAsync(HttpContext context, UplinkSource source, string? deviceId, PhoneProblem problem, bool log = true)
    {
        stats.Rejected(problem.Reason);
        if (log)
        {
            LogRefused(deviceId, WireNames.Of(source), WireNames.Of(problem.Reason), problem.Message);
        }

        return RefuseAsync(context, source, StatusCodes.Status400BadRequest, "Refused", problem.Message, problem.Field, problem.Reason);
    }

    private Task UnauthorizedAsync(HttpContext context, UplinkSource source, string address, string why)
    {
        stats.Unauthenticated(source);
        if (stats.Episodes.Starts($"phone-refused:{address}:{why}", out var unlogged))
        {
            LogUnauthorized(address, why, unlogged);
        }

        context.Response.Headers.WWWAuthenticate = "Basic realm=\"CmacLive\", charset=\"UTF-8\"";
        return Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", why);
    }

    /// <summary>A refusal counted for its source (null: counted already) and answered as problem+json.</summary>
    private Task RefuseAsync(HttpContext context, UplinkSource? source, int status, string title, string detail, string? field = null,
        RejectReason? reason = null, UplinkStatus counted = UplinkStatus.Rejected, TimeSpan? retryAfter = null)
    {
        if (source is { } from)
        {
            stats.FromSource(from, counted);
        }

        return Write(context, status, title, detail, field, reason, retryAfter);
    }

    private static Task StoredAsync(HttpContext context, UplinkSource source)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (source != UplinkSource.OwnTracksHttp)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json"; // OwnTracks reads an array of messages for the phone: none
        return context.Response.Body.WriteAsync(EmptyArray).AsTask();
    }

    private static async Task Write(HttpContext context, int status, string title, string detail, string? field = null, RejectReason? reason = null,
        TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/problem+json";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            if (reason is { } r)
            {
                json.WriteString("reason", WireNames.Of(r));
            }

            if (field is not null)
            {
                json.WriteStartObject("errors");
                json.WriteStartArray(field);
                json.WriteStringValue(detail);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>The body, at most <paramref name="max"/> bytes; null when it is larger (refused before it is read whole).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var read = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (read.Length + n > max)
                {
                    return null;
                }

                read.Write(chunk, 0, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return read.ToArray();
    }

    /// <summary>The query's parameters and a form body's together; one sent in both is sent twice.</summary>
    private static Dictionary<string, StringValues> Merge(Dictionary<string, StringValues> query, byte[] body)
    {
        var merged = new Dictionary<string, StringValues>(query, StringComparer.OrdinalIgnoreCase);
        if (body.Length == 0)
        {
            return merged;
        }

        foreach (var (name, values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
        {
            merged[name] = merged.TryGetValue(name, out var earlier) ? StringValues.Concat(earlier, values) : values;
        }

        return merged;
    }

    private static string? One(Dictionary<string, StringValues> parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Count == 1 ? values.ToString() : null;

    /// <summary>Whether a JSON body is an OwnTracks message: an object with a <c>_type</c> member at its top.</summary>
    private static bool HasOwnTracksType(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = InputLimits.PayloadJsonDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("_type"u8))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // not JSON at all: the OsmAnd reader says so
        }

        return false;
    }

    /// <summary>HTTP Basic's user and password, or null.</summary>
    private static (string User, string Password)? Basic(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? (text[..colon], text[(colon + 1)..]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress is { } ip
        ? Wire.MqttListener.AddressOf(new IPEndPoint(ip, context.Connection.RemotePort))
        : "?";

    [LoggerMessage(LogLevel.Warning, "Phone requests from {Address} over Osmand:MaxRequestsPerSecondPerAddress ({Rate} a second) are refused (429); {Unlogged} more such refusals from it since the last report")]
    private partial void LogAddressRateLimited(string address, double rate, long unlogged);

    [LoggerMessage(LogLevel.Warning, "Device {DeviceId} sends more than {Rate} reports a second (burst {Burst}) over HTTP: its reports over the rate are refused (429) until it slows down")]
    private partial void LogDeviceRateLimited(string deviceId, double rate, int burst);

    [LoggerMessage(LogLevel.Warning, "Phone request from {Address} refused (401): {Why}; {Unlogged} more such refusals from it since the last report")]
    private partial void LogUnauthorized(string address, string why, long unlogged);

    [LoggerMessage(LogLevel.Warning, "Phone report of device {DeviceId} ({Source}) refused ({Reason}): {Detail}")]
    private partial void LogRefused(string? deviceId, string source, string reason, string detail);

    [LoggerMessage(LogLevel.Warning, "SOS from phone {DeviceId} of asset {AssetId}: alert {AlertId} raised")]
    private partial void LogPhoneSos(string deviceId, string assetId, string alertId);

    [LoggerMessage(LogLevel.Error, "SOS from phone {DeviceId} of asset {AssetId} could not be raised; the phone is told to send it again")]
    private partial void LogPhoneSosFailed(Exception ex, string deviceId, string assetId);

    [LoggerMessage(LogLevel.Error, "The secret of device {DeviceId} could not be checked; its phone is told to send again (503)")]
    private partial void LogCheckFailed(Exception ex, string deviceId);
}
