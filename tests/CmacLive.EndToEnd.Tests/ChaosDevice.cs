using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CmacLive.EndToEnd.Tests;

/// <summary>One uplink a field device queues: its topic (under <c>cmac/v1/{deviceId}/</c>), payload and device time.</summary>
public sealed record FieldMessage(string Kind, string Payload, DateTimeOffset Ts);

/// <summary>What became of an uplink: acknowledged with success (or refused for good), when it was first sent and where.</summary>
public sealed record SentMessage(FieldMessage Message, DateTimeOffset FirstSentAt, DateTimeOffset AnsweredAt, int Attempts, int Port, MqttClientPublishReasonCode ReasonCode);

/// <summary>
/// A field device as its firmware should behave under faults: uplinks go out in the order queued, over MQTT 5 at QoS 1,
/// one at a time; one counts as sent only when the broker acknowledged it with success. Anything else (no answer, a lost
/// connection, "not stored, send again") sends the same uplink again, over a new connection to the next broker in the
/// list when the connection is gone (what was in flight goes again in its order). A refusal for good (a malformed or
/// forbidden uplink) is recorded and skipped. An urgent uplink (an SOS) is sent at once, ahead of everything queued and
/// beside the one uplink in flight (QoS 1 allows several in flight): it is not held back by the device, only by the
/// broker if the broker makes it wait.
/// </summary>
public sealed class ChaosDevice(string deviceId, string assetId, string secret, IReadOnlyList<int> brokerPorts, int homeBroker) : IAsyncDisposable
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly int _home = homeBroker;
    private readonly LinkedList<(FieldMessage Message, bool Urgent)> _queue = new();
    private readonly List<Flight> _flights = [];
    private readonly List<SentMessage> _acked = [];
    private readonly List<SentMessage> _refused = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IMqttClient? _client;
    private CancellationTokenSource? _connection;
    private int _broker = homeBroker;
    private volatile bool _goHome;
    private volatile int _connectedPort;

    public string DeviceId => deviceId;

    public string AssetId => assetId;

    /// <summary>The broker this device prefers.</summary>
    public int HomePort => brokerPorts[_home];

    /// <summary>The broker it is connected to now, or 0.</summary>
    public int ConnectedPort => _connectedPort;

    /// <summary>True while an uplink is out and not yet answered.</summary>
    public bool InFlight
    {
        get
        {
            lock (_lock)
            {
                return _flights.Exists(f => f.Task is not null);
            }
        }
    }

    public int Retries { get; private set; }

    public int Connections { get; private set; }

    /// <summary>Every uplink acknowledged with success, in the order the acknowledgements came.</summary>
    public IReadOnlyList<SentMessage> Acked
    {
        get
        {
            lock (_lock)
            {
                return [.. _acked];
            }
        }
    }

    /// <summary>Uplinks the broker refused for good (never sent again).</summary>
    public IReadOnlyList<SentMessage> Refused
    {
        get
        {
            lock (_lock)
            {
                return [.. _refused];
            }
        }
    }

    /// <summary>Uplinks queued or in flight and not yet acknowledged, with when each was first sent (null: not yet).</summary>
    public IReadOnlyList<(FieldMessage Message, DateTimeOffset? FirstSentAt)> Pending
    {
        get
        {
            lock (_lock)
            {
                return [.. _flights.Select(f => (f.Message, f.FirstSentAt)), .. _queue.Select(q => (q.Message, (DateTimeOffset?)null))];
            }
        }
    }

    /// <summary>When this uplink was first sent, whether or not it has been answered yet.</summary>
    public DateTimeOffset? FirstSentAt(FieldMessage message)
    {
        lock (_lock)
        {
            return _flights.Find(f => ReferenceEquals(f.Message, message))?.FirstSentAt
                ?? _acked.Concat(_refused).FirstOrDefault(s => ReferenceEquals(s.Message, message))?.FirstSentAt;
        }
    }

    public void Enqueue(FieldMessage message)
    {
        lock (_lock)
        {
            _queue.AddLast((message, false));
            _wake.TrySetResult();
        }
    }

    /// <summary>Sends <paramref name="message"/> at once, ahead of everything not yet sent and beside the uplink in flight.</summary>
    public void EnqueueUrgent(FieldMessage message)
    {
        lock (_lock)
        {
            _queue.AddFirst((message, true));
            _wake.TrySetResult();
        }
    }

    /// <summary>Before its next connection is needed, the device goes back to its own broker (cleanly) if it is elsewhere.</summary>
    public void GoHome()
    {
        _goHome = true;
        lock (_lock)
        {
            _wake.TrySetResult();
        }
    }

    /// <summary>
    /// Sends queued uplinks until <paramref name="stop"/> and nothing is left (each one in hand still until
    /// acknowledged), or until <paramref name="abandon"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abandon)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStop = stop.Register(() => stopped.TrySetResult());
        await using var onAbandon = abandon.Register(() => abandoned.TrySetResult());
        var notBefore = DateTimeOffset.MinValue;
        while (!abandon.IsCancellationRequested)
        {
            Task wake;
            lock (_lock)
            {
                // One uplink in flight at a time, and an urgent one beside it.
                while (_queue.First is { } next && (_flights.Count == 0 || (_flights.Count == 1 && next.Value.Urgent)))
                {
                    _queue.RemoveFirst();
                    _flights.Add(new Flight(next.Value.Message));
                }

                if (_wake.Task.IsCompleted)
                {
                    _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wake = _wake.Task;
            }

            if (_flights.Count == 0)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.WhenAny(wake, stopped.Task, abandoned.Task);
                continue;
            }

            if (_flights.Exists(f => f.Task is null) && DateTimeOffset.UtcNow >= notBefore && !await StartAsync(abandon))
            {
                notBefore = DateTimeOffset.UtcNow + RetryDelay;
            }

            var running = _flights.Where(f => f.Task is not null).Select(f => (Task)f.Task!).ToList();
            var delay = _flights.Exists(f => f.Task is null) ? Task.Delay(Max(notBefore - DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(20)), abandon) : null;
            await Task.WhenAny([.. running, wake, abandoned.Task, .. delay is null ? [] : new[] { delay }]);
            if (await AnsweredAsync() is { } retry)
            {
                notBefore = retry;
            }
        }
    }

    /// <summary>Connects if needed and sends every flight not yet out; false when no connection could be had.</summary>
    private async Task<bool> StartAsync(CancellationToken abandon)
    {
        IMqttClient client;
        try
        {
            client = await ConnectedAsync(abandon);
        }
        catch (Exception) when (!abandon.IsCancellationRequested)
        {
            Drop();
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        lock (_lock)
        {
            foreach (var flight in _flights.Where(f => f.Task is null))
            {
                flight.Attempts++;
                flight.Port = _connectedPort;
                flight.FirstSentAt ??= DateTimeOffset.UtcNow;
                flight.Task = PublishAsync(client, flight.Message, _connection!.Token);
            }
        }

        return true;
    }

    /// <summary>Takes the answers that came; answers when to send again, if something must be.</summary>
    private async Task<DateTimeOffset?> AnsweredAsync()
    {
        DateTimeOffset? retry = null;
        var lost = false;
        foreach (var flight in _flights.Where(f => f.Task is { IsCompleted: true }).ToList())
        {
            if (!flight.Task!.IsCompletedSuccessfully)
            {
                lost = true; // no answer in time, or the connection is gone
                continue;
            }

            var code = (await flight.Task).ReasonCode; // completed: no wait
            if (Final(code))
            {
                lock (_lock)
                {
                    _flights.Remove(flight);
                    (code == MqttClientPublishReasonCode.Success ? _acked : _refused)
                        .Add(new SentMessage(flight.Message, flight.FirstSentAt!.Value, DateTimeOffset.UtcNow, flight.Attempts, flight.Port, code));
                }
            }
            else
            {
                lock (_lock)
                {
                    flight.Task = null; // "not stored, send again"
                }

                Retries++;
                retry = DateTimeOffset.UtcNow + RetryDelay;
            }
        }

        if (lost)
        {
            // Everything still out on this connection goes again, in its order, on the next one.
            Drop();
            lock (_lock)
            {
                foreach (var flight in _flights.Where(f => f.Task is not null))
                {
                    flight.Task = null;
                    Retries++;
                }
            }

            retry = DateTimeOffset.UtcNow + RetryDelay;
        }

        return retry;
    }

    private async Task<MqttClientPublishResult> PublishAsync(IMqttClient client, FieldMessage message, CancellationToken connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection);
        timeout.CancelAfter(PublishTimeout);
        return await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic($"cmac/v1/{deviceId}/{message.Kind}")
            .WithPayload(Encoding.UTF8.GetBytes(message.Payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), timeout.Token);
    }

    /// <summary>Success, or a refusal sending again cannot change; anything else is "send again".</summary>
    private static bool Final(MqttClientPublishReasonCode code) => code is not (
        MqttClientPublishReasonCode.ImplementationSpecificError
        or MqttClientPublishReasonCode.UnspecifiedError
        or MqttClientPublishReasonCode.QuotaExceeded
        or (MqttClientPublishReasonCode)0x96); // message rate too high: later

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task<IMqttClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_goHome && !_flights.Exists(f => f.Task is not null))
        {
            _goHome = false;
            if (_client is { IsConnected: true } elsewhere && _connectedPort != HomePort)
            {
                try
                {
                    await elsewhere.DisconnectAsync(cancellationToken: cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // the new connection below is what counts
                }

                Drop();
            }

            _broker = _home;
        }

        if (_client is { IsConnected: true } connected)
        {
            return connected;
        }

        Drop();
        var port = brokerPorts[_broker];
        _broker = (_broker + 1) % brokerPorts.Count; // should this connection fail, the next attempt goes to the next broker
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"{deviceId}:{Guid.NewGuid():N}")
            .WithCredentials(deviceId, secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        try
        {
            var result = await client.ConnectAsync(options, cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new InvalidOperationException($"connection refused: {result.ResultCode}");
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _broker = (_broker + brokerPorts.Count - 1) % brokerPorts.Count; // connected: stay with this broker
        _client = client;
        _connection = new CancellationTokenSource();
        _connectedPort = port;
        Connections++;
        return client;
    }

    private void Drop()
    {
        _connection?.Cancel();
        _connection?.Dispose();
        _connection = null;
        _client?.Dispose();
        _client = null;
        _connectedPort = 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                await client.DisconnectAsync();
            }
            catch (Exception)
            {
                // the silo may be gone; the socket is closed below either way
            }
        }

        Drop();
    }

    /// <summary>One uplink taken from the queue: sent (its task) or waiting to be sent (again).</summary>
    private sealed class Flight(FieldMessage message)
    {
        public FieldMessage Message => message;

        public Task<MqttClientPublishResult>? Task { get; set; }

        public DateTimeOffset? FirstSentAt { get; set; }

        public int Attempts { get; set; }

        public int Port { get; set; }
    }
}
