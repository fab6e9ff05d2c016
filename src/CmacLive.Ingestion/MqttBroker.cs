using System.Net;
using CmacLive.Devices;
using CmacLive.Live;
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
/// queueing without bound.
/// </summary>
public sealed partial class MqttBroker(
    IGrainFactory grains,
    IOptions<MqttOptions> options,
    IngestStats stats,
    UplinkProcessor uplinks,
    ILogger<MqttBroker> logger) : IHostedService, IMqttIngress, IDeviceCommandSink, IDisposable
{
    /// <summary>The client id the silo itself uses for downlinks; not a device id, so no device can take it.</summary>
    public const string ServerClientId = "$cmaclive/silo";

    /// <summary>Marks a session the silo closed itself: its end says nothing about the device.</summary>
    private const string ClosedByServer = "cmaclive.closed-by-server";

    private MqttServer? _server;
    private volatile bool _stopping;
    private MqttServerOptions? _serverOptions;

    /// <summary>The TCP port the broker listens on (the configured one, or the one picked for port 0).</summary>
    public int Port => _serverOptions?.DefaultEndpointOptions.Port ?? options.Value.Port;

    public bool IsReady => _server?.IsStarted == true;

    public string Describe() => IsReady ? $"listening on port {Port}" : "the MQTT listener is not started";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var builder = new MqttServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(settings.Port);
        if (!string.IsNullOrWhiteSpace(settings.BindAddress))
        {
            var address = IPAddress.Parse(settings.BindAddress);
            builder = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? builder.WithDefaultEndpointBoundIPV6Address(address).WithDefaultEndpointBoundIPAddress(IPAddress.None)
                : builder.WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointBoundIPV6Address(IPAddress.None);
        }

        _serverOptions = builder.Build();
        _server = new MqttServerFactory().CreateMqttServer(_serverOptions);
        _server.ValidatingConnectionAsync += OnValidatingConnection;
        _server.InterceptingPublishAsync += OnInterceptingPublish;
        _server.InterceptingSubscriptionAsync += OnInterceptingSubscription;
        _server.ClientDisconnectedAsync += OnClientDisconnected;
        await _server.StartAsync();
        LogListening(Port);
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

    public void Dispose() => _server?.Dispose();

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
            else if (!await grains.GetGrain<IDeviceGrain>(e.UserName).Authenticate(e.Password))
            {
                Refuse(e, MqttConnectReasonCode.BadUserNameOrPassword, "unknown device or wrong password");
            }
            else if (string.IsNullOrEmpty(e.ClientId))
            {
                // MQTT 5 lets the server name a client that sent none.
                e.AssignedClientIdentifier = $"{e.UserName}{DeviceIds.ClientIdSeparator}{Guid.NewGuid():N}";
            }
        }
        catch (Exception ex)
        {
            e.ReasonCode = MqttConnectReasonCode.ServerUnavailable;
            LogConnectFailed(ex, e.UserName);
        }
    }

    private void Refuse(ValidatingConnectionEventArgs e, MqttConnectReasonCode code, string why)
    {
        e.ReasonCode = code;
        stats.ConnectionRefused();
        LogConnectRefused(e.UserName, e.ClientId, e.RemoteEndPoint?.ToString(), why);
    }

    private async Task OnInterceptingPublish(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == ServerClientId)
        {
            return; // the silo's own downlink: deliver as usual
        }

        // Uplinks end here: they are applied to the domain, never relayed to other clients.
        e.ProcessPublish = false;
        var outcome = await uplinks.ProcessAsync(e.UserName, e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
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

    private async Task OnClientDisconnected(ClientDisconnectedEventArgs e)
    {
        if (e.DisconnectType != MqttClientDisconnectType.NotClean || string.IsNullOrEmpty(e.UserName)
            || _stopping || e.SessionItems?[ClosedByServer] is true)
        {
            return; // a clean DISCONNECT, a takeover by the same device, or a close by the silo itself
        }

        try
        {
            await grains.GetGrain<IDeviceGrain>(e.UserName).ConnectionLost();
        }
        catch (Exception ex)
        {
            LogDisconnectFailed(ex, e.UserName);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Downlink queued for device {DeviceId}")]
    private partial void LogDownlink(string deviceId);

    [LoggerMessage(LogLevel.Information, "MQTT broker listening on port {Port}")]
    private partial void LogListening(int port);

    [LoggerMessage(LogLevel.Information, "MQTT session {ClientId} of device {DeviceId} closed: its credentials were replaced or revoked")]
    private partial void LogSessionClosed(string deviceId, string clientId);

    [LoggerMessage(LogLevel.Warning, "MQTT connection refused for device {DeviceId} (client {ClientId}, from {Remote}): {Why}")]
    private partial void LogConnectRefused(string? deviceId, string? clientId, string? remote, string why);

    [LoggerMessage(LogLevel.Error, "MQTT connection of device {DeviceId} could not be checked")]
    private partial void LogConnectFailed(Exception ex, string? deviceId);

    [LoggerMessage(LogLevel.Warning, "Subscription of device {DeviceId} to {Filter} refused")]
    private partial void LogSubscriptionRefused(string? deviceId, string filter);

    [LoggerMessage(LogLevel.Error, "Lost connection of device {DeviceId} could not be recorded")]
    private partial void LogDisconnectFailed(Exception ex, string deviceId);
}
