using System.Buffers;
using System.Diagnostics;
using CmacLive.Assets;
using CmacLive.Devices;
using CmacLive.History;
using CmacLive.Tracking;
using Microsoft.Extensions.Logging;

namespace CmacLive.Ingestion;

/// <summary>
/// One uplink, from topic and payload to the device grain, whatever broker it came through: the topic is
/// parsed and checked against the device, the payload decoded and validated, the report applied and
/// stored. Every outcome is counted, every refusal and failure logged with its reason.
/// </summary>
public sealed partial class UplinkProcessor(IGrainFactory grains, SafetyLane safety, IngestStats stats, TimeProvider time, ILogger<UplinkProcessor> logger)
{
    /// <summary>
    /// An uplink from a connection authenticated as <paramref name="deviceId"/> (the embedded broker, or a phone over HTTP as
    /// <paramref name="source"/> says). With the connection's <paramref name="binding"/>, reports go straight to its asset;
    /// without it (an external broker), through the device grain.
    /// </summary>
    public Task<UplinkOutcome> ProcessAsync(string deviceId, string topicName, ReadOnlySequence<byte> payload, DeviceBinding? binding = null,
        UplinkSource source = UplinkSource.Mqtt)
    {
        // Traced only when a listener samples it (OTLP configured): otherwise no span and no tag.
        var span = Tracing.Source.StartActivity(Tracing.Uplink, ActivityKind.Consumer);
        return span is null ? ApplyAsync(source, deviceId, topicName, payload, binding) : TracedAsync(span, source, deviceId, topicName, payload, binding);
    }

    private async Task<UplinkOutcome> TracedAsync(Activity span, UplinkSource source, string deviceId, string topicName, ReadOnlySequence<byte> payload, DeviceBinding? binding)
    {
        using (span)
        {
            span.SetTag("messaging.system", source == UplinkSource.Mqtt ? "mqtt" : "http");
            span.SetTag("messaging.destination.name", topicName);
            span.SetTag("cmaclive.device.id", deviceId);
            span.SetTag("cmaclive.source", WireNames.Of(source));
            var outcome = await ApplyAsync(source, deviceId, topicName, payload, binding);
            span.SetTag("cmaclive.outcome", WireNames.Of(outcome.Status));
            if (outcome.Status is UplinkStatus.Rejected or UplinkStatus.Failed)
            {
                span.SetTag("cmaclive.reason", IngestStats.Name(outcome.Reason));
            }

            if (outcome.Status == UplinkStatus.Failed)
            {
                span.SetStatus(ActivityStatusCode.Error, outcome.Detail);
            }

            return outcome;
        }
    }

    /// <summary>Decodes and applies an uplink; each outcome is counted, and counted again for its <paramref name="source"/>.</summary>
    private async Task<UplinkOutcome> ApplyAsync(UplinkSource source, string deviceId, string topicName, ReadOnlySequence<byte> payload, DeviceBinding? binding)
    {
        try
        {
            var topic = Topic.Parse(topicName, deviceId);
            if (topic.Kind == TopicKind.Unknown)
            {
                return Reject(source, deviceId, topicName, RejectReason.UnknownTopic, "no such topic");
            }

            if (!topic.IsOwn)
            {
                return Reject(source, deviceId, topicName, RejectReason.Forbidden, "topic of another device");
            }

            var decoded = PayloadDecoder.Decode(topic.Kind, deviceId, payload, time.GetUtcNow());
            var device = binding?.Device ?? grains.GetGrain<IDeviceGrain>(deviceId);
            var asset = binding?.AssetGrain;
            switch (decoded.Kind)
            {
                case DecodedKind.Rejected:
                    return Reject(source, deviceId, topicName, decoded.Reason, decoded.Detail ?? "", decoded.Field);
                case DecodedKind.Gone:
                    await (asset?.ConnectionLost(deviceId) ?? device.ConnectionLost());
                    return Ignored(source);
                case DecodedKind.Fix:
                    return Record(source, deviceId, topicName, await (asset?.ProcessFix(decoded.Fix!) ?? device.ProcessFix(decoded.Fix!)));
                case DecodedKind.Status:
                    safety.OnStatus(decoded.Status!); // an SOS reaches every hub before any grain is asked
                    return Record(source, deviceId, topicName, await (asset?.ProcessStatus(decoded.Status!) ?? device.ProcessStatus(decoded.Status!)));
                case DecodedKind.Detection:
                    return Record(source, deviceId, topicName, await (asset?.ProcessDetection(decoded.Detection!) ?? device.ProcessDetection(decoded.Detection!)));
                case DecodedKind.Find:
                    return Record(source, deviceId, topicName, await (asset?.ProcessFind(decoded.Find!) ?? device.ProcessFind(decoded.Find!)));
                case DecodedKind.Ack:
                    return Record(source, deviceId, topicName, await device.ProcessAck(decoded.Ack!));
                default:
                    return Ignored(source);
            }
        }
        catch (Exception ex)
        {
            stats.Rejected(RejectReason.Failed);
            stats.FromSource(source, UplinkStatus.Failed);
            if (ex is HistoryUnavailableException)
            {
                LogNotStored(deviceId, topicName); // the history store itself logs the outage, once per attempt
            }
            else
            {
                LogFailed(ex, deviceId, topicName);
            }

            return new UplinkOutcome(UplinkStatus.Failed, RejectReason.Failed, "not stored; send again");
        }
    }

    /// <summary>
    /// An uplink read from an external broker, which authenticated the device and enforced its topic ACL:
    /// the device is the one the topic names.
    /// </summary>
    public Task<UplinkOutcome> ProcessFromTopicAsync(string topicName, ReadOnlySequence<byte> payload)
    {
        var deviceId = Topic.DeviceOf(topicName);
        if (deviceId is null || !DeviceIds.IsValid(deviceId))
        {
            return Task.FromResult(Reject(UplinkSource.Mqtt, deviceId, topicName, RejectReason.UnknownTopic, "no device id in the topic"));
        }

        safety.Heard(deviceId); // the broker checked its password; its asset is learned once, for the SOS fast lane

        return ProcessAsync(deviceId, topicName, payload);
    }

    private UplinkOutcome Record(UplinkSource source, string deviceId, string topicName, ReportOutcome outcome)
    {
        if (outcome == ReportOutcome.UnknownDevice)
        {
            return Reject(source, deviceId, topicName, RejectReason.UnknownDevice, "device is bound to no configured asset");
        }

        if (outcome == ReportOutcome.Forbidden)
        {
            return Reject(source, deviceId, topicName, RejectReason.Forbidden, "a detection of another asset, outside this asset's task area");
        }

        if (outcome == ReportOutcome.Refused)
        {
            return Reject(source, deviceId, topicName, RejectReason.Conflict, topicName.EndsWith("/ack", StringComparison.Ordinal)
                ? "no such request, or it is not assigned to this device's team"
                : "unknown detection, or a decision against an earlier one");
        }

        stats.Accepted(outcome);
        stats.FromSource(source, UplinkStatus.Accepted);
        return new UplinkOutcome(UplinkStatus.Accepted);
    }

    private UplinkOutcome Ignored(UplinkSource source)
    {
        stats.Ignored();
        stats.FromSource(source, UplinkStatus.Ignored);
        return new UplinkOutcome(UplinkStatus.Ignored);
    }

    private UplinkOutcome Reject(UplinkSource source, string? deviceId, string topicName, RejectReason reason, string detail, string? field = null)
    {
        stats.Rejected(reason);
        stats.FromSource(source, UplinkStatus.Rejected);
        LogRejected(deviceId, topicName, IngestStats.Name(reason), detail);
        return new UplinkOutcome(UplinkStatus.Rejected, reason, detail, field);
    }

    [LoggerMessage(LogLevel.Warning, "Uplink from device {DeviceId} on {Topic} rejected ({Reason}): {Detail}")]
    private partial void LogRejected(string? deviceId, string topic, string reason, string detail);

    [LoggerMessage(LogLevel.Error, "Uplink from device {DeviceId} on {Topic} could not be applied; not acknowledged")]
    private partial void LogFailed(Exception ex, string? deviceId, string topic);

    [LoggerMessage(LogLevel.Debug, "Uplink from device {DeviceId} on {Topic} not stored while history is unavailable; not acknowledged")]
    private partial void LogNotStored(string? deviceId, string topic);
}
