using CmacLive.Devices;
using CmacLive.Downlinks;
using CmacLive.Ingestion.Wire;
using CmacLive.Tracking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CmacLive.Ingestion;

/// <summary>
/// The embedded MQTT broker: authenticates devices at CONNECT against their device grain, lets each
/// publish and subscribe only under its own id, decodes and validates every uplink, and hands it to the
/// device grain before acknowledging it. Messages of one connection are handled one at a time (the
/// broker awaits each before reading the next), so a busy silo slows its devices down instead of
/// queueing without bound. The limits before work (packet size, connections, failed CONNECTs, uplink
/// rate) hold on its own listener (<see cref="MqttListener"/>) and in <see cref="DeviceGate"/>.
/// </summary>
public sealed partial class MqttBroker(
    IGrainFactory grains,
    IOptions<MqttOptions> options,
    IngestStats stats,
    UplinkProcessor uplinks,
    SafetyLane safety,
    TimeProvider time,
    DeviceGate gate,
    DeviceSecretCheck secrets,
    ILogger<MqttBroker> logger) : IHostedService, IMqttIngress, IDeviceCommandSink, IDisposable
{
    /// <summary>The client id the silo itself uses for downlinks; not a device id, so no device can take it.</summary>
    public const string ServerClientId = "$cmaclive/silo";

    /// <summary>The connection's <see cref="DeviceBinding"/>, learned at CONNECT.</summary>
    private const string BindingItem = "cmaclive.binding";

    /// <summary>Marks a session the silo closed itself: its end says nothing about the device.</summary>
    private const string ClosedByServer = "cmaclive.closed-by-server";

    private readonly DeviceGate _gate = gate;
    private readonly MqttListener _listener = new(options.Value, stats, logger, new Wire.StatusTap(safety, time).OnPublish);
    private MqttServer? _server;
    private volatile bool _stopping;

    /// <summary>The plain MQTT port the broker listens on (the configured one, or the one picked for port 0).</summary>
    public int Port => _listener.PlainPort ?? options.Value.Port;

    /// <summary>The plain MQTT port listened on; null when <c>Mqtt:Plain</c> is false.</summary>
    public int? PlainPort => _listener.PlainPort;

    /// <summary>The MQTT over TLS port, when TLS is configured.</summary>
    public int? TlsPort => _listener.TlsPort;

    public bool IsReady => _server?.IsStarted == true;

    public string Describe() => !IsReady ? "the MQTT listener is not started"
        : string.Join(", ", new[] { _listener.PlainPort is { } plain ? $"listening on port {plain}" : null, TlsPort is { } tls ? $"TLS on port {tls}" : null }
            .OfType<string>());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Plain && !settings.Tls.IsServerConfigured)
        {
            throw new InvalidOperationException("Mqtt:Plain is false but MQTT over TLS is not configured (Mqtt:Tls:Certificate and Mqtt:Tls:Key): devices could not connect at all");
        }

        // Each connection's buffer for what the silo sends (acknowledgements, downlinks) starts small and grows as needed.
        var serverOptions = new MqttServerOptionsBuilder().WithDefaultCommunicationTimeout(settings.ConnectTimeout).Build();
        serverOptions.WriterBufferSize = 256;
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, [_listener]);
        _server.ValidatingConnectionAsync += OnValidatingConnection;
        _server.InterceptingPublishAsync += OnInterceptingPublish;
        _server.InterceptingSubscriptionAsync += OnInterceptingSubscription;
        _server.ClientConnectedAsync += OnClientConnected;
        _server.ClientDisconnectedAsync += OnClientDisconnected;
        await _server.StartAsync();
        stats.ObserveConnectedDevices(() => _gate.ConnectedDevices);
        LogListening(Describe());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Connections the silo ends on shutdown are not devices lost in the field.
        _stopping = true;
        if (_server is { IsStarted: true } server)
        {
            await server.StopAsync();
        }
    }

    public void Dispose()
    {
        _server?.Dispose();
        _listener.Dispose();
    }

    /// <summary>
    /// Downlinks go to the devices subscribed here at QoS 1. Every silo's broker gets every command (a device
    /// is connected to one of them); a device not connected misses it, and its request sends it again until acknowledged.
    /// </summary>
    public async Task SendAsync(IReadOnlyList<DeviceCommand> commands, bool fromThisSilo, CancellationToken cancellationToken)
    {
        if (_server is not { IsStarted: true } server)
        {
            return;
        }

        foreach (var command in commands)
        {
            if (command.CloseSessionsBefore is { } before)
            {
                await CloseSessionsAsync(server, command.DeviceId, before);
                continue;
            }

            var message = new MqttApplicationMessageBuilder()
                .WithTopic(Topic.CommandOf(command.DeviceId))
                .WithPayload(command.Payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithContentType("application/json")
                .Build();
            await server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = ServerClientId }, cancellationToken);
            LogDownlink(command.DeviceId);
        }
    }

    /// <summary>Closes the device's sessions on this broker that were opened before <paramref name="before"/> (its old secret).</summary>
    private async Task CloseSessionsAsync(MqttServer server, string deviceId, DateTimeOffset before)
    {
        _gate.Forget(deviceId);
        safety.Forget(deviceId);
        foreach (var client in await server.GetClientsAsync())
        {
            if (DeviceIds.IsOwnClientId(client.Id, deviceId) && client.ConnectedTimestamp.ToUniversalTime() <= before.UtcDateTime)
            {
                client.Session.Items[ClosedByServer] = true; // not a lost link: the asset does not go offline for it
                await client.DisconnectAsync(new MqttServerClientDisconnectOptions
                {
                    ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
                    ReasonString = "the device's credentials were replaced or revoked",
                });
                LogSessionClosed(deviceId, client.Id);
            }
        }
    }

    private async Task OnValidatingConnection(ValidatingConnectionEventArgs e)
    {
        e.SessionItems[nameof(MqttProtocolVersion)] = e.ProtocolVersion;
        try
        {
            if (string.IsNullOrEmpty(e.UserName) || string.IsNullOrEmpty(e.Password))
            {
                Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "no username or password");
            }
            else if (!DeviceIds.IsValid(e.UserName))
            {
                // Not a possible device id: refused before any grain is touched.
                Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "not a device id");
            }
            else if (string.IsNullOrEmpty(e.ClientId) && e.ProtocolVersion != MqttProtocolVersion.V500)
            {
                Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid, "MQTT 3.1.1 clients must send a client id");
            }
            else if (!string.IsNullOrEmpty(e.ClientId) && !DeviceIds.IsOwnClientId(e.ClientId, e.UserName))
            {
                Refuse(e, MqttConnectReasonCode.ClientIdentifierNotValid,
                    $"client id must be the device id, or the device id followed by '{DeviceIds.ClientIdSeparator}'");
            }
            else if (_listener.OpenConnections > options.Value.MaxConnections)
            {
                stats.LimitReached(IngestLimit.Connections);
                Refuse(e, QuotaExceeded(e), $"more than Mqtt:MaxConnections ({options.Value.MaxConnections}) connections are open");
            }
            else
            {
                await CheckCredentialsAsync(e);
            }
        }
        catch (Exception ex)
        {
            e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            LogConnectFailed(ex, e.UserName);
        }
    }

    /// <summary>The device's password, unless a back-off refuses it at once; then its sessions on this silo.</summary>
    private async Task CheckCredentialsAsync(ValidatingConnectionEventArgs e)
    {
        var check = await secrets.CheckAsync(e.UserName, MqttListener.AddressOf(e.RemoteEndPoint), e.Password);
        if (check.Backoff is { } backoff)
        {
            // Refused without the costly password check: MQTT 5 0x8A (banned), MQTT 3.1.1 5 (not authorized).
            e.ReasonCode = MqttConnectReasonCode.Banned;
            e.ReasonString = $"too many failed connection attempts; try again in {Math.Ceiling(backoff.TotalSeconds)} s";
            stats.ConnectionRefused();
            return;
        }

        if (check.Busy)
        {
            Refuse(e, MqttConnectReasonCode.ServerBusy, "another connection of the device is being checked; try again");
            return;
        }

        if (check.Asset is not { } asset)
        {
            Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "unknown device or wrong password");
            return;
        }

        e.SessionItems[BindingItem] = new DeviceBinding(grains, e.UserName, asset); // reports go straight to the asset

        // MQTT 5 lets the server name a client that sent none.
        var clientId = string.IsNullOrEmpty(e.ClientId) ? $"{e.UserName}{DeviceIds.ClientIdSeparator}{Guid.NewGuid():N}" : e.ClientId;
        if (!_gate.TryOpen(e.UserName, clientId))
        {
            stats.LimitReached(IngestLimit.DeviceConnections);
            Refuse(e, QuotaExceeded(e), $"the device has Mqtt:MaxConnectionsPerDevice ({options.Value.MaxConnectionsPerDevice}) sessions open");
        }
        else
        {
            if (string.IsNullOrEmpty(e.ClientId))
            {
                e.AssignedClientIdentifier = clientId;
            }

            _listener.Accepted(e.ChannelAdapter, e.UserName); // its status messages reach the SOS lane as they arrive
        }
    }

    /// <summary>MQTT 5: 0x97 (quota exceeded); MQTT 3.1.1 has no such code, and 3 (server unavailable) is the nearest.</summary>
    private static MqttConnectReasonCode QuotaExceeded(ValidatingConnectionEventArgs e) =>
        e.ProtocolVersion == MqttProtocolVersion.V500 ? MqttConnectReasonCode.QuotaExceeded : MqttConnectReasonCode.ServerUnavailable;

    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string why)
    {
        e.ReasonCode = code;
        if (e.ProtocolVersion == MqttProtocolVersion.V500)
        {
            e.ReasonString = why;
        }

        stats.ConnectionRefused();
        var address = MqttListener.AddressOf(e.RemoteEndPoint);
        if (stats.Episodes.Starts($"refused:{address}:{why}", out var unlogged))
        {
            LogConnectRefused(e.UserName, e.ClientId, address, why, unlogged);
        }
    }

    private async Task OnInterceptingPublish(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == ServerClientId)
        {
            return; // the silo's own downlink: deliver as usual
        }

        // Uplinks end here: they are applied to the domain, never relayed to other clients.
        e.ProcessPublish = false;
        var topic = e.ApplicationMessage.Topic;
        if (!_gate.TryUplink(e.UserName, topic.EndsWith("/status", StringComparison.Ordinal), out var episodeStarts))
        {
            RateLimited(e, episodeStarts);
            return;
        }

        var outcome = await uplinks.ProcessAsync(e.UserName, e.ApplicationMessage.Topic, e.ApplicationMessage.Payload, e.SessionItems[BindingItem] as DeviceBinding);
        switch (outcome.Status)
        {
            case UplinkStatus.Rejected:
                e.Response.ReasonCode = outcome.Reason switch
                {
                    RejectReason.Forbidden or RejectReason.UnknownDevice => MqttPubAckReasonCode.NotAuthorized,
                    RejectReason.UnknownTopic => MqttPubAckReasonCode.TopicNameInvalid,
                    _ => MqttPubAckReasonCode.PayloadFormatInvalid,
                };
                e.Response.ReasonString = outcome.Detail;
                break;
            case UplinkStatus.Failed:
                // Not applied or not stored. MQTT 5 says so in the PUBACK; MQTT 3.1.1 cannot, so the connection
                // is closed unacknowledged and the device sends the message again. Either way nothing is lost.
                e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
                e.Response.ReasonString = outcome.Detail;
                if (e.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce && !IsMqtt5(e))
                {
                    e.SessionItems[ClosedByServer] = true;
                    e.CloseConnection = true;
                }

                break;
        }
    }

    /// <summary>
    /// Over the device's rate: MQTT 5 is told in its PUBACK (0x96, message rate too high). MQTT 3.1.1 has no way to say
    /// so; an acknowledged message would be lost, so its connection is closed unacknowledged and the device sends it again later.
    /// </summary>
    private void RateLimited(InterceptingPublishEventArgs e, bool episodeStarts)
    {
        stats.Rejected(Tracking.RejectReason.RateLimited);
        stats.FromSource(UplinkSource.Mqtt, UplinkStatus.Rejected);
        if (episodeStarts)
        {
            LogRateLimited(e.UserName, options.Value.MaxMessagesPerSecondPerDevice, options.Value.MessageBurstPerDevice);
        }

        e.Response.ReasonCode = (MqttPubAckReasonCode)MqttDisconnectReasonCode.MessageRateTooHigh;
        e.Response.ReasonString = $"more than Mqtt:MaxMessagesPerSecondPerDevice ({options.Value.MaxMessagesPerSecondPerDevice}) messages a second";
        if (e.ApplicationMessage.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce && !IsMqtt5(e))
        {
            e.SessionItems[ClosedByServer] = true;
            e.CloseConnection = true;
        }
    }

    private static bool IsMqtt5(InterceptingPublishEventArgs e) =>
        e.SessionItems[nameof(MqttProtocolVersion)] is MqttProtocolVersion.V500;

    private Task OnInterceptingSubscription(InterceptingSubscriptionEventArgs e)
    {
        if (e.ClientId != ServerClientId && !Topic.MaySubscribe(e.TopicFilter.Topic, e.UserName))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogSubscriptionRefused(e.UserName, e.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    private Task OnClientConnected(ClientConnectedEventArgs e)
    {
        if (!string.IsNullOrEmpty(e.UserName))
        {
            _gate.Opened(e.UserName, e.ClientId);
        }

        return Task.CompletedTask;
    }

    private async Task OnClientDisconnected(ClientDisconnectedEventArgs e)
    {
        if (!string.IsNullOrEmpty(e.UserName) && e.ClientId != ServerClientId)
        {
            _gate.Closed(e.UserName, e.ClientId);
        }

        if (e.DisconnectType != MqttClientDisconnectType.NotClean || string.IsNullOrEmpty(e.UserName)
            || _stopping || e.SessionItems?[ClosedByServer] is true)
        {
            return; // a clean DISCONNECT, a takeover by the same device, or a close by the silo itself
        }

        try
        {
            if (e.SessionItems?[BindingItem] is DeviceBinding binding)
            {
                await binding.AssetGrain.ConnectionLost(binding.DeviceId);
            }
            else
            {
                await grains.GetGrain<IDeviceGrain>(e.UserName).ConnectionLost();
            }
        }
        catch (Exception ex)
        {
            LogDisconnectFailed(ex, e.UserName);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Downlink queued for device {DeviceId}")]
    private partial void LogDownlink(string deviceId);

    [LoggerMessage(LogLevel.Information, "MQTT broker {Listening}")]
    private partial void LogListening(string listening);

    [LoggerMessage(LogLevel.Warning, "Device {DeviceId} sends more than {Rate} messages a second (burst {Burst}): its uplinks over the rate are refused until it slows down")]
    private partial void LogRateLimited(string deviceId, double rate, int burst);

    [LoggerMessage(LogLevel.Information, "MQTT session {ClientId} of device {DeviceId} closed: its credentials were replaced or revoked")]
    private partial void LogSessionClosed(string deviceId, string clientId);

    [LoggerMessage(LogLevel.Warning, "MQTT connection refused for device {DeviceId} (client {ClientId}, from {Address}): {Why}; {Unlogged} more such refusals from it since the last report")]
    private partial void LogConnectRefused(string? deviceId, string? clientId, string address, string why, long unlogged);

    [LoggerMessage(LogLevel.Error, "MQTT connection of device {DeviceId} could not be checked")]
    private partial void LogConnectFailed(Exception ex, string? deviceId);

    [LoggerMessage(LogLevel.Warning, "Subscription of device {DeviceId} to {Filter} refused")]
    private partial void LogSubscriptionRefused(string? deviceId, string filter);

    [LoggerMessage(LogLevel.Error, "Lost connection of device {DeviceId} could not be recorded")]
    private partial void LogDisconnectFailed(Exception ex, string deviceId);
}
