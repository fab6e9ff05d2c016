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
/// (each fixed header's remaining length, then the body skipped over) and ends the connection before MQTTnet reads
/// on when a packet declares more than the limit (MQTTnet allocates a packet's whole body as soon as it has read its
/// length, so such a packet is never buffered), or when a fixed header is one a client may never send: a packet
/// type of the server's or a reserved one, flags the type fixes set otherwise, PUBLISH with QoS 3, anything but
/// CONNECT first or CONNECT again. After CONNECT, an MQTT 5 client is told why (DISCONNECT 0x95, 0x81 or 0x82).
/// </summary>
internal sealed class FrameGuardChannel(
    Stream stream,
    EndPoint local,
    EndPoint remote,
    int maxPacketBytes,
    Action<FrameGuardChannel, FrameFault, long> refused,
    FrameGuardChannel.PublishSeen? published = null,
    System.Buffers.MemoryPool<byte>? segments = null)
    : IMqttChannel
{
    /// <summary>A PUBLISH of at most <see cref="CaptureLimit"/> bytes is handed over as it arrives, before MQTTnet reads it.</summary>
    public const int CaptureLimit = 2048;

    /// <summary>The most bytes one read from the socket takes (a segment of the read-ahead).</summary>
    public const int SegmentSize = 4096;

    private readonly System.IO.Pipelines.Pipe _ahead = new(new System.IO.Pipelines.PipeOptions(
        pool: segments, minimumSegmentSize: segments?.MaxBufferSize ?? -1,
        pauseWriterThreshold: maxPacketBytes + 16 * 1024, resumeWriterThreshold: maxPacketBytes / 2 + 8 * 1024, useSynchronizationContext: false));
    private Task? _pump;
    private string? _deviceId;
    private FrameState _state = FrameState.Type;
    private byte _first;
    private byte[]? _capture;
    private int _captured = -1;
    private long _length;
    private int _lengthBytes;
    private long _bodyLeft;
    private long _packets;

    /// <summary>Whole packet headers read so far.</summary>
    public long Packets => _packets;

    /// <summary>Why the connection was ended at the framing, if it was.</summary>
    public FrameFault Fault { get; private set; }

    /// <summary>The adapter that reads this channel: it sends the DISCONNECT, in turn with its other writes.</summary>
    public IMqttChannelAdapter? Adapter { get; set; }

    /// <summary>The device this connection's CONNECT was accepted for; null before.</summary>
    public string? DeviceId
    {
        get => Volatile.Read(ref _deviceId);
        set => Volatile.Write(ref _deviceId, value);
    }

    /// <summary>
    /// A small PUBLISH, whole, the moment its last byte arrived: before MQTTnet reads it, so before any packet the client
    /// sent earlier has been handled (MQTTnet handles one client's packets one at a time). The body is only lent.
    /// </summary>
    public delegate void PublishSeen(FrameGuardChannel channel, byte first, ReadOnlySpan<byte> body);

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

    /// <summary>
    /// MQTTnet reads the next packet only once it has handled the one before (one at a time per client), so the bytes
    /// are pulled from the socket ahead of it, as they arrive, and the framing is followed there: a small PUBLISH is seen
    /// (<see cref="PublishSeen"/>) the moment it is whole, and a packet over the limit is refused before anything buffers
    /// it. What is read ahead is bounded: past <see cref="ReadAheadLimit"/> unread bytes the pump waits for MQTTnet.
    /// </summary>
    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        _pump ??= PumpAsync();
        var result = await _ahead.Reader.ReadAsync(cancellationToken);
        var available = result.Buffer;
        if (available.IsEmpty && result.IsCompleted)
        {
            _ahead.Reader.AdvanceTo(available.End);
            return 0;
        }

        var taken = (int)Math.Min(count, available.Length);
        available.Slice(0, taken).CopyTo(buffer.AsSpan(offset, taken));
        _ahead.Reader.AdvanceTo(available.GetPosition(taken));
        return taken;
    }

    /// <summary>The most bytes read ahead of MQTTnet before the pump waits for it to catch up.</summary>
    public int ReadAheadLimit => maxPacketBytes + 16 * 1024;

    private async Task PumpAsync()
    {
        await Task.Yield(); // the first read of MQTTnet goes on to wait for the pipe
        var writer = _ahead.Writer;
        try
        {
            while (true)
            {
                Memory<byte> memory;
                int read;
                try
                {
                    // A zero-byte read waits for data without holding a buffer: an idle connection (a tracker between
                    // fixes) keeps no read buffer of its own.
#pragma warning disable CA2022 // a zero-byte read only waits: there is nothing to read exactly
                    await stream.ReadAsync(Memory<byte>.Empty);
#pragma warning restore CA2022
                    memory = writer.GetMemory(SegmentSize);
                    read = await stream.ReadAsync(memory);
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (IOException ex)
                {
                    await writer.CompleteAsync(new MqttCommunicationException(ex));
                    return;
                }

                if (read == 0)
                {
                    break;
                }

                if (Follow(memory.Span[..read], out var declared) is var fault and not FrameFault.None)
                {
                    await RefuseAsync(fault, declared);
                    break; // to MQTTnet: the connection has ended (what came before the fault is still read)
                }

                writer.Advance(read);
                var flushed = await writer.FlushAsync();
                if (flushed.IsCompleted)
                {
                    break;
                }
            }

            await writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex is MqttCommunicationException ? ex : new MqttCommunicationException(ex));
        }
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

    /// <summary>Follows the framing over bytes just read: what is wrong with it, if anything (and the length a packet declared).</summary>
    private FrameFault Follow(ReadOnlySpan<byte> bytes, out long declared)
    {
        declared = 0;
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case FrameState.Type:
                    _first = bytes[i];
                    if (CheckFirstByte(bytes[i++], first: _packets == 0) is var fault and not FrameFault.None)
                    {
                        return fault;
                    }

                    _state = FrameState.Length;
                    _length = 0;
                    _lengthBytes = 0;
                    break;
                case FrameState.Length:
                    var b = bytes[i++];
                    _length |= (long)(b & 0x7F) << (7 * _lengthBytes);
                    _lengthBytes++;
                    if (_length > maxPacketBytes)
                    {
                        declared = _length;
                        return FrameFault.TooLarge;
                    }

                    if ((b & 0x80) != 0 && _lengthBytes == 4)
                    {
                        return FrameFault.Malformed; // a remaining length has at most four bytes
                    }

                    if ((b & 0x80) == 0)
                    {
                        _packets++;
                        _bodyLeft = _length;
                        _state = _bodyLeft == 0 ? FrameState.Type : FrameState.Body;
                        if (published is not null && _first >> 4 == 3 && _length is > 0 and <= CaptureLimit && DeviceId is not null)
                        {
                            _capture = ArrayPool<byte>.Shared.Rent((int)_length); // lent back when the body is whole: nothing kept per connection
                            _captured = 0;
                        }
                    }

                    break;
                default:
                    var skip = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    if (_capture is not null)
                    {
                        bytes.Slice(i, skip).CopyTo(_capture.AsSpan(_captured));
                        _captured += skip;
                    }

                    i += skip;
                    _bodyLeft -= skip;
                    if (_bodyLeft == 0)
                    {
                        _state = FrameState.Type;
                        if (_capture is { } captured)
                        {
                            if (_captured == _length)
                            {
                                published!(this, _first, captured.AsSpan(0, _captured));
                            }

                            ArrayPool<byte>.Shared.Return(captured);
                            _capture = null;
                        }

                        _captured = -1;
                    }

                    break;
            }
        }

        return FrameFault.None;
    }

    /// <summary>Whether a client may send a packet with this first byte (type and flags), first or later.</summary>
    internal static FrameFault CheckFirstByte(byte value, bool first)
    {
        var type = value >> 4;
        var flags = value & 0x0F;
        if (first != (type == 1))
        {
            return FrameFault.ProtocolError; // CONNECT first, and only first
        }

        return type switch
        {
            3 => (flags & 0x06) == 0x06 ? FrameFault.Malformed : FrameFault.None, // PUBLISH: any flags but QoS 3
            6 or 8 or 10 => flags == 0x02 ? FrameFault.None : FrameFault.Malformed, // PUBREL, SUBSCRIBE, UNSUBSCRIBE
            1 or 4 or 5 or 7 or 12 or 14 or 15 => flags == 0 ? FrameFault.None : FrameFault.Malformed,
            _ => FrameFault.ProtocolError, // reserved (0), or a packet only the server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP)
        };
    }

    private async Task RefuseAsync(FrameFault fault, long declared)
    {
        Fault = fault;
        refused(this, fault, declared);
        if (_packets > 0 && Adapter is { PacketFormatterAdapter.ProtocolVersion: MqttProtocolVersion.V500 } adapter)
        {
            try
            {
                // Past CONNECT, so the client speaks MQTT 5 and may be told the reason.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                var reason = fault switch
                {
                    FrameFault.TooLarge => MqttDisconnectReasonCode.PacketTooLarge,
                    FrameFault.Malformed => MqttDisconnectReasonCode.MalformedPacket,
                    _ => MqttDisconnectReasonCode.ProtocolError,
                };
                await adapter.SendPacketAsync(new MqttDisconnectPacket { ReasonCode = reason }, timeout.Token);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The client went first: nothing more to tell it.
            }
        }

        stream.Dispose();
    }
}
