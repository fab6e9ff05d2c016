using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace CmacLive.Ingestion;

/// <summary>
/// <c>Mqtt:DynamicSecurity</c>: the silo's connection for Mosquitto's dynamic-security plugin, with the silo's own login
/// under the client id <c>{Mqtt:ClientId}-dynsec</c>. Commands go to <c>$CONTROL/dynamic-security/v1</c> at QoS 1, each
/// with a correlationData of its own; the plugin answers every subscriber of <c>…/v1/response</c>, so every silo
/// sees every answer and takes only its own. On each connection it first sees that its own login holds the role
/// <see cref="DynamicSecurityCommands.SiloRole"/> with the rights the silos need now; a change there makes the broker
/// close the sessions of that login (every silo's, once), and the connection starts again.
/// </summary>
public sealed partial class DynamicSecurityClient(IOptions<MqttOptions> options, ILogger<DynamicSecurityClient> logger) : BackgroundService
{
    private const string Connection = "dynamic-security";

    /// <summary>Changes to its own login in a row after which the silo stops trying and says so.</summary>
    private const int OwnRoleAttempts = 3;

    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly Lock _readyLock = new();
    private TaskCompletionSource<IMqttClient> _ready = NewReady();
    private int _ownRoleChanges;

    /// <summary>True while connected, with the silo's own role in place.</summary>
    public bool IsReady
    {
        get
        {
            lock (_readyLock)
            {
                return _ready.Task.IsCompletedSuccessfully;
            }
        }
    }

    /// <summary>
    /// Sends the commands in one message (waiting for the connection if it is being made again) and answers the
    /// plugin's replies in the same order. <paramref name="cancellationToken"/> carries the caller's deadline.
    /// Throws <see cref="DynamicSecurityException"/> when the broker refused the message or the connection was lost.
    /// </summary>
    public async Task<IReadOnlyList<DynamicSecurityReply>> SendAsync(IReadOnlyList<JsonObject> commands, CancellationToken cancellationToken)
    {
        Task<IMqttClient> ready;
        lock (_readyLock)
        {
            ready = _ready.Task;
        }

        return await ExchangeAsync(await ready.WaitAsync(cancellationToken), commands, cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ExternalBrokerConnection.KeepConnectedAsync(RunSessionAsync, options.Value, Connection, logger, stoppingToken);

    private async Task RunSessionAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var client = new MqttClientFactory().CreateMqttClient();
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += _ =>
        {
            NotReady();
            lost.TrySetResult();
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new DynamicSecurityException("the connection to the MQTT broker was lost before it answered"));
            }

            return Task.CompletedTask;
        };
        client.ApplicationMessageReceivedAsync += e =>
        {
            Receive(e.ApplicationMessage);
            return Task.CompletedTask;
        };

        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                handshake.CancelAfter(ExternalBrokerConnection.HandshakeTimeout);
                var connected = await client.ConnectAsync(
                    ExternalBrokerConnection.Options(settings, $"{settings.ClientId}-dynsec").WithCleanStart(true).Build(), handshake.Token);
                if (connected.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new DynamicSecurityException($"the broker refused the connection: {connected.ResultCode} {connected.ReasonString}");
                }

                var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                    .WithTopicFilter(DynamicSecurityCommands.ResponseTopic, MqttQualityOfServiceLevel.AtMostOnce).Build(), handshake.Token);
                if (subscribed.Items.Single().ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                {
                    throw new DynamicSecurityException($"the broker refused {DynamicSecurityCommands.ResponseTopic} to {settings.Username}: " +
                        "its login needs the rights of the dynamic-security admin (mosquitto_ctrl dynsec init gives them)");
                }
            }

            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                deadline.CancelAfter(ExternalBrokerConnection.HandshakeTimeout);
                if (!await EnsureOwnRoleAsync(client, settings, deadline.Token))
                {
                    // The broker closes this login's sessions for the change: wait for it, then connect again and check.
                    await Task.WhenAny(lost.Task, Task.Delay(settings.DynamicSecurityTimeout, stoppingToken));
                    return;
                }
            }

            lock (_readyLock)
            {
                _ready.TrySetResult(client);
            }

            LogReady(settings.Host, settings.Port);
            await lost.Task.WaitAsync(stoppingToken);
        }
        finally
        {
            NotReady();
            await ExternalBrokerConnection.CloseAsync(client, MqttClientDisconnectOptionsReason.NormalDisconnection, Connection, logger);
        }
    }

    /// <summary>
    /// True when the silos' role has the rights wanted now and this silo's login holds it. Otherwise it makes the change
    /// (the broker then closes this login's sessions, so no answer is awaited) and answers false.
    /// </summary>
    private async Task<bool> EnsureOwnRoleAsync(IMqttClient client, MqttOptions settings, CancellationToken cancellationToken)
    {
        if (_ownRoleChanges >= OwnRoleAttempts)
        {
            return true; // said once already; the devices' commands go on with whatever rights the login has
        }

        var wanted = DynamicSecurityCommands.SiloAcls(settings.SharedGroup);
        var role = (await ExchangeAsync(client, [DynamicSecurityCommands.GetRole(DynamicSecurityCommands.SiloRole)], cancellationToken))[0];
        JsonObject? change = null;
        if (role.Error == "Role not found")
        {
            var created = (await ExchangeAsync(client,
                [DynamicSecurityCommands.CreateRole(DynamicSecurityCommands.SiloRole, wanted)], cancellationToken))[0];
            Expect(created, "Role already exists");
        }
        else if (Expect(role) && !DynamicSecurityAcl.Of(role.Data.GetProperty("role")).SetEquals(wanted))
        {
            change = DynamicSecurityCommands.ModifyRole(DynamicSecurityCommands.SiloRole, wanted);
        }

        if (change is null)
        {
            var me = (await ExchangeAsync(client, [DynamicSecurityCommands.GetClient(settings.Username!)], cancellationToken))[0];
            Expect(me);
            if (DynamicSecurityCommands.HasRole(me.Data, DynamicSecurityCommands.SiloRole))
            {
                _ownRoleChanges = 0;
                return true;
            }

            change = DynamicSecurityCommands.AddClientRole(settings.Username!, DynamicSecurityCommands.SiloRole);
        }

        if (++_ownRoleChanges >= OwnRoleAttempts)
        {
            LogOwnRoleNotTaking(settings.Username!, DynamicSecurityCommands.SiloRole);
            return true;
        }

        LogOwnRoleChanged(settings.Username!, DynamicSecurityCommands.SiloRole, change["command"]!.GetValue<string>());
        try
        {
            await client.PublishAsync(Message(new JsonObject { ["commands"] = new JsonArray(change) }), cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // closed by the broker for the change before it acknowledged, as expected; the next connection checks again
        }

        return false;
    }

    private async Task<IReadOnlyList<DynamicSecurityReply>> ExchangeAsync(
        IMqttClient client, IReadOnlyList<JsonObject> commands, CancellationToken cancellationToken)
    {
        var correlation = Guid.NewGuid().ToString("N");
        var batch = new JsonArray();
        foreach (var command in commands)
        {
            var own = (JsonObject)command.DeepClone();
            own["correlationData"] = correlation;
            batch.Add(own);
        }

        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlation] = answer;
        try
        {
            var published = await client.PublishAsync(Message(new JsonObject { ["commands"] = batch }), cancellationToken);
            if (!published.IsSuccess)
            {
                throw new DynamicSecurityException(
                    $"the broker refused the dynamic-security command from {options.Value.Username}: {published.ReasonCode} {published.ReasonString}");
            }

            var responses = await answer.Task.WaitAsync(cancellationToken);
            var replies = responses.EnumerateArray()
                .Select(r => new DynamicSecurityReply(
                    r.TryGetProperty("command", out var c) ? c.GetString() ?? "" : "",
                    r.TryGetProperty("error", out var e) ? e.GetString() : null,
                    r.TryGetProperty("data", out var d) ? d : default))
                .ToList();
            return replies.Count == commands.Count
                ? replies
                : throw new DynamicSecurityException($"the broker answered {replies.Count} of {commands.Count} dynamic-security commands");
        }
        finally
        {
            _pending.TryRemove(correlation, out _);
        }
    }

    /// <summary>An answer on the response topic: handed to the command of this silo that carries its correlationData, if any.</summary>
    private void Receive(MqttApplicationMessage message)
    {
        if (message.Topic != DynamicSecurityCommands.ResponseTopic)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(message.Payload);
            if (document.RootElement.TryGetProperty("responses", out var responses) && responses.ValueKind == JsonValueKind.Array
                && responses.GetArrayLength() > 0 && responses[0].TryGetProperty("correlationData", out var correlation)
                && correlation.GetString() is { } id && _pending.TryGetValue(id, out var pending))
            {
                pending.TrySetResult(responses.Clone());
            }
        }
        catch (JsonException ex)
        {
            LogUnreadableAnswer(ex);
        }
    }

    /// <summary>True when done, false on one of the <paramref name="allowed"/> errors; any other error throws.</summary>
    public static bool Expect(DynamicSecurityReply reply, params string[] allowed)
    {
        if (reply.Succeeded)
        {
            return true;
        }

        return allowed.Contains(reply.Error)
            ? false
            : throw new DynamicSecurityException($"the broker's dynamic-security plugin answered {reply.Command}: {reply.Error}");
    }

    private static MqttApplicationMessage Message(JsonObject payload) => new MqttApplicationMessageBuilder()
        .WithTopic(DynamicSecurityCommands.CommandTopic)
        .WithPayload(payload.ToJsonString())
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    /// <summary>Commands from now on wait for the next connection.</summary>
    private void NotReady()
    {
        lock (_readyLock)
        {
            if (_ready.Task.IsCompleted)
            {
                _ready = NewReady();
            }
        }
    }

    private static TaskCompletionSource<IMqttClient> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(LogLevel.Information, "Dynamic security: connected to the MQTT broker {Host}:{Port}, the silos' role in place")]
    private partial void LogReady(string host, int port);

    [LoggerMessage(LogLevel.Warning, "Dynamic security: {Change} for the silos' login {Username} and role {Role}; the broker closes that login's sessions once, and the silos connect again")]
    private partial void LogOwnRoleChanged(string username, string role, string change);

    [LoggerMessage(LogLevel.Error, "Dynamic security: the silos' login {Username} still lacks the role {Role} as wanted after several changes; going on without")]
    private partial void LogOwnRoleNotTaking(string username, string role);

    [LoggerMessage(LogLevel.Warning, "Dynamic security: an answer on the response topic is not JSON")]
    private partial void LogUnreadableAnswer(Exception ex);
}
