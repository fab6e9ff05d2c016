using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CmacLive.EndToEnd.Tests;

/// <summary>A dashboard: a real SignalR client over WebSockets that records every event as raw JSON.</summary>
public sealed class HubProbe : IAsyncDisposable
{
    private readonly Channel<(string Event, JsonElement Payload)> _events = Channel.CreateUnbounded<(string, JsonElement)>();

    private HubProbe(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    /// <summary>A dashboard; <paramref name="batched"/> asks for assets' updates as arrays (<c>assetsUpdated</c>).</summary>
    public static async Task<HubProbe> ConnectAsync(ISiloEndpoint silo, string? token = TestSilo.Token, bool batched = false)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(silo.BaseAddress, batched ? "/hubs/ops?batched=true" : "/hubs/ops"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.AccessTokenProvider = () => Task.FromResult(token);
            })
            .Build();
        var probe = new HubProbe(connection);
        foreach (var name in new[] { "assetUpdated", "assetsUpdated", "hazardAreaUpdated", "alertRaised", "alertUpdated", "dispatchUpdated", "assetEvent" })
        {
            connection.On<JsonElement>(name, payload => probe._events.Writer.TryWrite((name, payload)));
        }

        await connection.StartAsync();
        return probe;
    }

    /// <summary>Waits for the first event of that name matching the predicate (earlier ones are passed over).</summary>
    public async Task<JsonElement> WaitForAsync(string name, Func<JsonElement, bool> match, double seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var (evt, payload) = await _events.Reader.ReadAsync(timeout.Token);
                if (evt == name && match(payload))
                {
                    return payload;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching {name} within {seconds} s");
        }
    }

    /// <summary>Every event up to and including the first of that name matching the predicate.</summary>
    public async Task<List<(string Event, JsonElement Payload)>> CollectUntilAsync(string name, Func<JsonElement, bool> match, double seconds = 10)
    {
        var seen = new List<(string, JsonElement)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true)
            {
                var (evt, payload) = await _events.Reader.ReadAsync(timeout.Token);
                seen.Add((evt, payload));
                if (evt == name && match(payload))
                {
                    return seen;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching {name} within {seconds} s");
        }
    }

    /// <summary>Every event that arrives within the window.</summary>
    public async Task<List<(string Event, JsonElement Payload)>> CollectAsync(TimeSpan window)
    {
        var seen = new List<(string, JsonElement)>();
        using var timeout = new CancellationTokenSource(window);
        try
        {
            while (true)
            {
                seen.Add(await _events.Reader.ReadAsync(timeout.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return seen;
        }
    }

    /// <summary>The latitude of an AssetStatus, or null before its first fix (an asset is pushed when created, too).</summary>
    public static double? Lat(JsonElement status) =>
        status.GetProperty("position") is { ValueKind: JsonValueKind.Object } p ? p.GetProperty("lat").GetDouble() : null;

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>A field device: a real MQTTnet client over TCP.</summary>
public sealed class DeviceProbe : IAsyncDisposable
{
    private bool _dropped;

    private DeviceProbe(IMqttClient client, string deviceId)
    {
        Client = client;
        DeviceId = deviceId;
    }

    public IMqttClient Client { get; }

    public string DeviceId { get; }

    public static Task<(DeviceProbe Device, MqttClientConnectResult Result)> TryConnectAsync(
        ISiloEndpoint silo, string username, string password, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null) =>
        TryConnectAsync(silo.MqttPort, username, password, version, clientId);

    /// <summary>Connects to any broker on this loopback port: a silo's embedded one or an external one.</summary>
    public static async Task<(DeviceProbe Device, MqttClientConnectResult Result)> TryConnectAsync(
        int mqttPort, string username, string password, MqttProtocolVersion version = MqttProtocolVersion.V500, string? clientId = null, bool lastWill = false)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", mqttPort)
            .WithClientId(clientId ?? $"{username}:{Guid.NewGuid():N}")
            .WithCredentials(username, password)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (lastWill)
        {
            // The contract's last will: the broker publishes it on the device's status topic when the device drops.
            builder = builder.WithWillTopic($"cmac/v1/{username}/status").WithWillPayload("""{"state":"offline"}""")
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        }

        var options = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var result = await client.ConnectAsync(options, timeout.Token);
        return (new DeviceProbe(client, username), result);
    }

    public static Task<DeviceProbe> ConnectAsync(
        ISiloEndpoint silo, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500) =>
        ConnectAsync(silo.MqttPort, deviceId, secret, version);

    public static async Task<DeviceProbe> ConnectAsync(
        int mqttPort, string deviceId, string secret, MqttProtocolVersion version = MqttProtocolVersion.V500, bool lastWill = false)
    {
        var (device, result) = await TryConnectAsync(mqttPort, deviceId, secret, version, lastWill: lastWill);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return device;
    }

    public Task<MqttClientPublishResult> PublishAsync(string topic, string payload) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload));

    public async Task<MqttClientPublishResult> PublishAsync(string topic, byte[] payload)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await Client.PublishAsync(message, timeout.Token);
    }

    public Task<MqttClientPublishResult> PublishFixAsync(double lat, double lon, DateTimeOffset ts, int? bat = null) =>
        PublishAsync($"cmac/v1/{DeviceId}/position", Fix(lat, lon, ts, bat));

    public static string Fix(double lat, double lon, DateTimeOffset ts, int? bat = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["ts"] = ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
        ["lat"] = lat,
        ["lon"] = lon,
        ["acc"] = 4.5,
        ["bat"] = bat,
    });

    /// <summary>The downlinks a device receives on its own <c>cmd</c> topic.</summary>
    public async Task<Channel<JsonElement>> SubscribeCommandsAsync()
    {
        var received = Channel.CreateUnbounded<JsonElement>();
        Client.ApplicationMessageReceivedAsync += e =>
        {
            if (e.ApplicationMessage.Topic == $"cmac/v1/{DeviceId}/cmd")
            {
                received.Writer.TryWrite(JsonDocument.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)).RootElement.Clone());
            }

            return Task.CompletedTask;
        };
        var subscribed = await Client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"cmac/v1/{DeviceId}/cmd", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, subscribed.Items.Single().ResultCode);
        return received;
    }

    /// <summary>The next downlink that matches, within 15 s.</summary>
    public static async Task<JsonElement> NextAsync(Channel<JsonElement> channel, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var item = await channel.Reader.ReadAsync(timeout.Token);
            if (match(item))
            {
                return item;
            }
        }
    }

    /// <summary>Closes the socket with no DISCONNECT packet, as a tracker losing power or coverage does.</summary>
    public void Drop()
    {
        _dropped = true;
        Client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dropped)
        {
            return;
        }

        if (Client.IsConnected)
        {
            await Client.DisconnectAsync();
        }

        Client.Dispose();
    }
}

/// <summary>An asset with a provisioned tracker, a connected device and a dashboard watching: the usual start of a test.</summary>
public sealed class TrackedAsset : IAsyncDisposable
{
    private TrackedAsset(string assetId, string deviceId, string secret, HubProbe hub, DeviceProbe tracker)
    {
        AssetId = assetId;
        DeviceId = deviceId;
        Secret = secret;
        Hub = hub;
        Tracker = tracker;
    }

    public string AssetId { get; }

    public string DeviceId { get; }

    public string Secret { get; }

    public HubProbe Hub { get; }

    public DeviceProbe Tracker { get; }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    public static async Task<TrackedAsset> StartAsync(ISiloEndpoint silo, string kind = "team", string unit = "DU5",
        MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var assetId = NewId($"{unit}-{kind}");
        var deviceId = NewId("trk");
        var secret = await silo.ProvisionAsync(assetId, deviceId, kind, unit);
        var hub = await HubProbe.ConnectAsync(silo);
        var tracker = await DeviceProbe.ConnectAsync(silo, deviceId, secret, version);
        return new TrackedAsset(assetId, deviceId, secret, hub, tracker);
    }

    /// <summary>The next assetUpdated of this asset that matches (by default: one with a position).</summary>
    public Task<JsonElement> UpdateAsync(Func<JsonElement, bool>? match = null) =>
        Hub.WaitForAsync("assetUpdated", s => s.GetProperty("id").GetString() == AssetId && (match ?? (p => HubProbe.Lat(p) is not null))(s));

    public async ValueTask DisposeAsync()
    {
        await Tracker.DisposeAsync();
        await Hub.DisposeAsync();
    }
}
