using System.Threading.Channels;
using CmacLive.Downlinks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace CmacLive.Ingestion;

/// <summary>
/// <c>Mqtt:Mode=External</c>: the silo is a client of an external broker, which authenticates the devices
/// and enforces their topic ACL. Every silo joins one MQTT 5 shared subscription, so the broker splits
/// the uplinks between them. Messages arrive at QoS 1 and are processed concurrently (up to the receive
/// maximum), but each is acknowledged only once it is stored, and in the order received; a message that
/// could not be stored ends the connection unacknowledged, so the broker delivers it again when the silo
/// reconnects to its persistent session (same client id), from where the loop goes on with back-off.
/// </summary>
public sealed partial class ExternalMqttSubscriber(
    IOptions<MqttOptions> options,
    UplinkProcessor uplinks,
    SafetyLane safety,
    ILogger<ExternalMqttSubscriber> logger) : BackgroundService, IMqttIngress, IDeviceCommandSink
{
    private static readonly TimeSpan HandshakeTimeout = ExternalBrokerConnection.HandshakeTimeout;

    private volatile bool _subscribed;
    private volatile IMqttClient? _client;

    /// <summary>The uplink topics, without the <c>$share/{group}/</c> prefix.</summary>
    public static readonly string[] UplinkFilters =
    [
        "cmac/v1/+/position",
        "cmac/v1/+/status",
        "cmac/v1/+/detection",
        "cmac/v1/+/find",
        "cmac/v1/+/ack",
        "owntracks/+/+",
    ];

    public bool IsReady => _subscribed;

    public string Describe() => _subscribed
        ? $"subscribed to {options.Value.Host}:{options.Value.Port} as {options.Value.ClientId} in group {options.Value.SharedGroup}"
        : $"not connected to {options.Value.Host}:{options.Value.Port}";

    /// <summary>
    /// Publishes the downlinks raised on this silo to the external broker at QoS 1 (the other silos publish
    /// their own). While the broker is out of reach they are dropped with a warning; a request sends its
    /// assignment again until it is acknowledged.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<DeviceCommand> commands, bool fromThisSilo, CancellationToken cancellationToken)
    {
        foreach (var command in commands)
        {
            if (command.CloseSessionsBefore is not null)
            {
                safety.Forget(command.DeviceId); // a new binding or secret, or deleted: its asset is learned again
            }
        }

        if (!fromThisSilo || commands.Count == 0)
        {
            return;
        }

        var client = _client;
        foreach (var command in commands.Where(c => c.CloseSessionsBefore is null)) // the external broker closes them itself (with dynamic security, when the REST call changed the login)
        {
            if (client is not { IsConnected: true })
            {
                LogDownlinkDropped(command.DeviceId);
                continue;
            }

            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topic.CommandOf(command.DeviceId))
                .WithPayload(command.Payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithContentType("application/json")
                .Build();
            try
            {
                await client.PublishAsync(message, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDownlinkFailed(ex, command.DeviceId);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ExternalBrokerConnection.KeepConnectedAsync(
            async token =>
            {
                try
                {
                    await RunSessionAsync(token);
                }
                finally
                {
                    _subscribed = false;
                }
            },
            options.Value,
            "uplink",
            logger,
            stoppingToken);

    private async Task RunSessionAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var client = new MqttClientFactory().CreateMqttClient();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var endedHere = 0;
        var inOrder = Channel.CreateBounded<(MqttApplicationMessageReceivedEventArgs Message, Task<UplinkOutcome> Processing)>(
            new BoundedChannelOptions(settings.ReceiveMaximum) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        // Ends the session from any side: the reader stops, and a handler waiting for room gives up, so
        // that DisconnectAsync (which waits for the handler) cannot hang.
        void EndSession()
        {
            inOrder.Writer.TryComplete();
            try
            {
                session.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the session is over already
            }
        }

        client.DisconnectedAsync += e =>
        {
            if (Volatile.Read(ref endedHere) == 0 && e.ClientWasConnected)
            {
                LogDisconnected(e.Reason.ToString());
            }

            EndSession();
            return Task.CompletedTask;
        };
        client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            var processing = uplinks.ProcessFromTopicAsync(e.ApplicationMessage.Topic ?? "", e.ApplicationMessage.Payload);
            if (e.ApplicationMessage.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
            {
                await processing; // nothing to acknowledge; processing never throws
                return;
            }

            try
            {
                await inOrder.Writer.WriteAsync((e, processing), session.Token);
            }
            catch (Exception)
            {
                EndSession(); // the session is ending: left unacknowledged, the broker sends it again
            }
        };

        var connect = ExternalBrokerConnection.Options(settings, settings.ClientId)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)settings.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum(settings.ReceiveMaximum);

        try
        {
            // A broker that takes the TCP connection and never answers must not hold the loop.
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                handshake.CancelAfter(HandshakeTimeout);
                var connected = await client.ConnectAsync(connect.Build(), handshake.Token);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException($"the broker refused the connection: {connected.ResultCode} {connected.ReasonString}");
                }

                // Subscribing again on a resumed session is harmless and keeps the filters as configured now.
                var subscribe = new MqttClientSubscribeOptionsBuilder();
                foreach (var filter in UplinkFilters)
                {
                    subscribe = subscribe.WithTopicFilter($"$share/{settings.SharedGroup}/{filter}", MqttQualityOfServiceLevel.AtLeastOnce);
                }

                var subscribed = await client.SubscribeAsync(subscribe.Build(), handshake.Token);
                var refused = subscribed.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
                if (refused.Count > 0)
                {
                    throw new InvalidOperationException("the broker refused the subscription: " +
                        string.Join(", ", refused.Select(i => $"{i.TopicFilter.Topic} {i.ResultCode}")));
                }

                LogSubscribed(settings.Host, settings.Port, settings.ClientId, connected.IsSessionPresent);
            }

            _subscribed = true;
            _client = client;
            await foreach (var (message, processing) in inOrder.Reader.ReadAllAsync(session.Token))
            {
                if ((await processing).Status == UplinkStatus.Failed)
                {
                    // Not stored: leave it, and everything after it, unacknowledged; the broker sends them again.
                    LogNotAcknowledged(message.ApplicationMessage.Topic);
                    return;
                }

                try
                {
                    await message.AcknowledgeAsync(session.Token);
                }
                catch (Exception) when (session.IsCancellationRequested || !client.IsConnected)
                {
                    return; // the connection is gone: the broker sends it again
                }
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // the connection was lost: the loop connects again
        }
        finally
        {
            _client = null;
            Volatile.Write(ref endedHere, 1);
            EndSession();
            // Whatever is not acknowledged stays with the broker, for this silo's next session.
            await ExternalBrokerConnection.CloseAsync(client, stoppingToken.IsCancellationRequested
                ? MqttClientDisconnectOptionsReason.NormalDisconnection
                : MqttClientDisconnectOptionsReason.UnspecifiedError, "uplink", logger);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Downlink for device {DeviceId} dropped: not connected to the MQTT broker (its request sends it again)")]
    private partial void LogDownlinkDropped(string deviceId);

    [LoggerMessage(LogLevel.Warning, "Downlink for device {DeviceId} could not be published (its request sends it again)")]
    private partial void LogDownlinkFailed(Exception ex, string deviceId);

    [LoggerMessage(LogLevel.Information, "Subscribed to the MQTT broker {Host}:{Port} as {ClientId} (session resumed: {Resumed})")]
    private partial void LogSubscribed(string host, int port, string clientId, bool resumed);

    [LoggerMessage(LogLevel.Warning, "Lost the connection to the MQTT broker: {Reason}")]
    private partial void LogDisconnected(string reason);

    [LoggerMessage(LogLevel.Warning, "An uplink on {Topic} could not be stored: disconnecting unacknowledged so the broker sends it again")]
    private partial void LogNotAcknowledged(string topic);
}
