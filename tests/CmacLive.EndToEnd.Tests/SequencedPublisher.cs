using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A tracker that streams numbered fixes at QoS 1 and behaves as field firmware should: a fix counts as
/// sent only when the broker acknowledged it with success; otherwise (refused, timed out, connection
/// lost) the same fix is sent again, over a new connection to the next broker in the list (the silos'
/// embedded brokers, or one external broker) when the connection is gone. What was acknowledged, and when, is recorded for the test to check.
/// </summary>
public sealed class SequencedPublisher(string deviceId, string secret, IReadOnlyList<int> brokerPorts, int firstBroker, double lon) : IAsyncDisposable
{
    private readonly List<AckedFix> _acked = [];
    private readonly Lock _lock = new();
    private IMqttClient? _client;
    private int _broker = firstBroker;
    private DateTimeOffset _lastTs;

    public string DeviceId => deviceId;

    public int Retries { get; private set; }

    public int Reconnects { get; private set; }

    /// <summary>Every fix the broker acknowledged with success, in order.</summary>
    public IReadOnlyList<AckedFix> Acked
    {
        get
        {
            lock (_lock)
            {
                return [.. _acked];
            }
        }
    }

    public static double Lat(int seq) => 12.5 + (seq * 0.00001);

    /// <summary>
    /// Sends fix after fix until <paramref name="stop"/>; the fix in hand when it comes is still sent until
    /// acknowledged, unless <paramref name="abandon"/> comes first.
    /// </summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken stop, CancellationToken abandon)
    {
        for (var seq = 0; !stop.IsCancellationRequested && !abandon.IsCancellationRequested; seq++)
        {
            var ts = NextTs();
            var message = new MqttApplicationMessageBuilder()
                .WithTopic($"cmac/v1/{deviceId}/position")
                .WithPayload(Encoding.UTF8.GetBytes(DeviceProbe.Fix(Lat(seq), lon, ts)))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            if (!await SendUntilAcknowledgedAsync(message, abandon))
            {
                return;
            }

            lock (_lock)
            {
                _acked.Add(new AckedFix(seq, ts, DateTimeOffset.UtcNow));
            }

            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> SendUntilAcknowledgedAsync(MqttApplicationMessage message, CancellationToken abandon)
    {
        while (!abandon.IsCancellationRequested)
        {
            try
            {
                var client = await ConnectedAsync(abandon);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abandon);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var result = await client.PublishAsync(message, timeout.Token);
                if (result.ReasonCode == MqttClientPublishReasonCode.Success)
                {
                    return true;
                }
            }
            catch (Exception) when (!abandon.IsCancellationRequested)
            {
                Drop();
            }
            catch (OperationCanceledException)
            {
                return false;
            }

            Retries++;
            try
            {
                await Task.Delay(200, abandon);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return false;
    }

    private async Task<IMqttClient> ConnectedAsync(CancellationToken cancellationToken)
    {
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
        Reconnects++;
        return client;
    }

    private DateTimeOffset NextTs()
    {
        var now = DateTimeOffset.UtcNow;
        var ts = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        _lastTs = ts > _lastTs ? ts : _lastTs.AddMilliseconds(1);
        return _lastTs;
    }

    private void Drop()
    {
        _client?.Dispose();
        _client = null;
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
}

public readonly record struct AckedFix(int Seq, DateTimeOffset Ts, DateTimeOffset AckedAt);

/// <summary>
/// Sequenced publishers streaming together. <see cref="StopAsync"/> lets each finish (acknowledged) the fix
/// in hand; disposal abandons whatever is still unacknowledged and closes the connections.
/// </summary>
public sealed class PublisherFleet : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abandon;
    private readonly List<Task> _streams;

    private PublisherFleet(IReadOnlyList<SequencedPublisher> publishers, TimeSpan interval, TimeSpan limit)
    {
        _abandon = new CancellationTokenSource(limit);
        _streams = [.. publishers.Select(p => Task.Run(() => p.RunAsync(interval, _stop.Token, _abandon.Token)))];
        Publishers = publishers;
    }

    public IReadOnlyList<SequencedPublisher> Publishers { get; }

    /// <summary>Starts every publisher, one fix per <paramref name="interval"/>; none runs longer than <paramref name="limit"/>.</summary>
    public static PublisherFleet Start(IReadOnlyList<SequencedPublisher> publishers, TimeSpan interval, TimeSpan limit) =>
        new(publishers, interval, limit);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_streams);
    }

    public async ValueTask DisposeAsync()
    {
        await _abandon.CancelAsync();
        await Task.WhenAll(_streams);
        foreach (var publisher in Publishers)
        {
            await publisher.DisposeAsync();
        }

        _stop.Dispose();
        _abandon.Dispose();
    }
}
