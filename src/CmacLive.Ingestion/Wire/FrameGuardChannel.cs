using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace CmacLive.Ingestion.Wire;

/// <summary>
/// One client's byte stream, read by MQTTnet through this channel. It follows the MQTT framing as the bytes pass
/// (each fixed header's remaining length, then the body skipped over) and, when a packet declares more than the
/// limit, ends the connection before MQTTnet sees the length, so the packet is never buffered: MQTTnet allocates a
/// packet's whole body as soon as it has read its length. After CONNECT, an MQTT 5 client is told why (DISCONNECT 0x95).
/// </summary>
internal sealed class FrameGuardChannel(Stream stream, EndPoint local, EndPoint remote, int maxPacketBytes, Action<FrameGuardChannel, long> tooLarge)
    : IMqttChannel
{
    private FrameState _state = FrameState.Type;
    private long _length;
    private int _lengthBytes;
    private long _bodyLeft;
    private long _packets;

    /// <summary>Whole packet headers read so far.</summary>
    public long Packets => _packets;

    /// <summary>Whether the connection was ended for a packet over the limit.</summary>
    public bool TooLarge { get; private set; }

    /// <summary>The adapter that reads this channel: it sends the DISCONNECT, in turn with its other writes.</summary>
    public IMqttChannelAdapter? Adapter { get; set; }

    private enum FrameState
    {
        Type,
        Length,
        Body,
    }

    public X509Certificate2 ClientCertificate => null!;

    public EndPoint RemoteEndPoint => remote;

    public EndPoint LocalEndPoint => local;

    public bool IsSecureConnection => stream is SslStream;

    public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => stream.Dispose();

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = await stream.ReadAsync(buffer.AsMemory(offset, count), cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        catch (IOException ex)
        {
            throw new MqttCommunicationException(ex);
        }

        if (read > 0 && Follow(buffer.AsSpan(offset, read)) is { } declared)
        {
            await RefuseAsync(declared);
            return 0; // to MQTTnet: the connection has ended
        }

        return read;
    }

    public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var segment in buffer)
            {
                await stream.WriteAsync(segment, cancellationToken);
            }
        }
        catch (ObjectDisposedException)
        {
            throw new MqttCommunicationException("The connection is closed.");
        }
        catch (IOException ex)
        {
            throw new MqttCommunicationException(ex);
        }
    }

    /// <summary>Follows the framing over bytes just read; the declared length of a packet over the limit, or null.</summary>
    private long? Follow(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case FrameState.Type:
                    _state = FrameState.Length;
                    _length = 0;
                    _lengthBytes = 0;
                    i++;
                    break;
                case FrameState.Length:
                    var b = bytes[i++];
                    _length |= (long)(b & 0x7F) << (7 * _lengthBytes);
                    _lengthBytes++;
                    if (_length > maxPacketBytes)
                    {
                        return _length;
                    }

                    if ((b & 0x80) == 0 || _lengthBytes == 4)
                    {
                        // A fifth length byte is MQTTnet's to refuse (a protocol violation); the framing is lost then anyway.
                        _packets++;
                        _bodyLeft = _length;
                        _state = _bodyLeft == 0 ? FrameState.Type : FrameState.Body;
                    }

                    break;
                default:
                    var skip = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    i += skip;
                    _bodyLeft -= skip;
                    if (_bodyLeft == 0)
                    {
                        _state = FrameState.Type;
                    }

                    break;
            }
        }

        return null;
    }

    private async Task RefuseAsync(long declared)
    {
        TooLarge = true;
        tooLarge(this, declared);
        if (_packets > 0 && Adapter is { PacketFormatterAdapter.ProtocolVersion: MqttProtocolVersion.V500 } adapter)
        {
            try
            {
                // Past CONNECT, so the client speaks MQTT 5 and may be told the reason.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await adapter.SendPacketAsync(new MqttDisconnectPacket { ReasonCode = MqttDisconnectReasonCode.PacketTooLarge }, timeout.Token);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client went first: nothing more to tell it.
            }
        }

        stream.Dispose();
    }
}
