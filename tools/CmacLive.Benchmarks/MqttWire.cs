using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CmacLive.Benchmarks;

/// <summary>A whole MQTT packet as read: its first byte (type and flags) and what follows the remaining length.</summary>
public delegate void MqttPacketHandler(byte header, ReadOnlySpan<byte> body);

/// <summary>
/// A minimal MQTT 3.1.1 client connection over a raw socket, as cheap as a load generator needs: CONNECT (clean
/// session, no keep-alive), then whole packets written as given and read in a loop that hands each to a handler. It
/// shares no code with the product's broker or with MQTTnet, so the load costs the benchmark little and measures
/// nothing of its own.
/// </summary>
public sealed class MqttWire : IDisposable
{
    public const byte Publish = 0x30;
    public const byte PubAck = 0x40;
    public const byte SubAck = 0x90;

    private readonly Socket _socket;

    private MqttWire(Socket socket) => _socket = socket;

    /// <summary>Connects and sends CONNECT; the CONNACK's return code (0: accepted) and the connection.</summary>
    public static async Task<(int ReturnCode, MqttWire? Wire)> ConnectAsync(int port, string clientId, string? user, string? password, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            await socket.SendAsync(ConnectPacket(clientId, user, password), cancellationToken);
            var connack = new byte[4];
            var read = 0;
            while (read < connack.Length)
            {
                var n = await socket.ReceiveAsync(connack.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    throw new IOException($"{clientId}: the broker closed the connection before its CONNACK");
                }

                read += n;
            }

            if (connack[0] != 0x20 || connack[1] != 2)
            {
                throw new IOException($"{clientId}: not a CONNACK ({connack[0]:x2})");
            }

            if (connack[3] != 0)
            {
                socket.Dispose();
                return (connack[3], null);
            }

            return (0, new MqttWire(socket));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Writes one or more whole packets; blocks while the socket's send buffer is full (the broker reads slower).</summary>
    public void Send(ReadOnlySpan<byte> packets)
    {
        while (!packets.IsEmpty)
        {
            packets = packets[_socket.Send(packets)..];
        }
    }

    /// <summary>Reads packets until the connection ends or <paramref name="cancellationToken"/> fires; each is handed over as it is whole.</summary>
    public async Task ReadLoopAsync(MqttPacketHandler handler, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken);
                if (n == 0)
                {
                    return;
                }

                filled += n;
                var used = Dispatch(buffer.AsSpan(0, filled), handler);
                buffer.AsSpan(used, filled - used).CopyTo(buffer);
                filled -= used;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
    }

    /// <summary>A SUBSCRIBE of one filter at QoS 0.</summary>
    public static byte[] SubscribePacket(ushort packetId, string filter)
    {
        var topic = Encoding.UTF8.GetBytes(filter);
        var body = new byte[2 + 2 + topic.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(body, packetId);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)topic.Length);
        topic.CopyTo(body, 4);
        return Packet(0x82, body);
    }

    /// <summary>A PUBLISH: QoS 1 with a packet id, QoS 0 without.</summary>
    public static byte[] PublishPacket(string topic, ReadOnlySpan<byte> payload, ushort? packetId)
    {
        var name = Encoding.UTF8.GetBytes(topic);
        var body = new byte[2 + name.Length + (packetId is null ? 0 : 2) + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)name.Length);
        name.CopyTo(body, 2);
        if (packetId is { } id)
        {
            BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2 + name.Length), id);
        }

        payload.CopyTo(body.AsSpan(body.Length - payload.Length));
        return Packet(packetId is null ? Publish : (byte)(Publish | 0x02), body);
    }

    /// <summary>The header and remaining length written at the start of <paramref name="destination"/>; how many bytes.</summary>
    public static int WriteHeader(Span<byte> destination, byte header, int remaining)
    {
        destination[0] = header;
        var i = 1;
        do
        {
            var digit = (byte)(remaining % 128);
            remaining /= 128;
            destination[i++] = remaining > 0 ? (byte)(digit | 0x80) : digit;
        }
        while (remaining > 0);
        return i;
    }

    private static byte[] ConnectPacket(string clientId, string? user, string? password)
    {
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4 };
        var flags = (byte)(0x02 | (user is null ? 0 : 0x80) | (password is null ? 0 : 0x40)); // clean session
        body.Add(flags);
        body.AddRange([0, 0]); // no keep-alive: the broker never expects a PINGREQ
        foreach (var field in new[] { clientId, user, password }.OfType<string>())
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }

        return Packet(0x10, [.. body]);
    }

    private static byte[] Packet(byte header, byte[] body)
    {
        Span<byte> head = stackalloc byte[5];
        var length = WriteHeader(head, header, body.Length);
        return [.. head[..length], .. body];
    }

    /// <summary>Hands over every whole packet at the start of <paramref name="data"/>; how many bytes they took.</summary>
    private static int Dispatch(ReadOnlySpan<byte> data, MqttPacketHandler handler)
    {
        var used = 0;
        while (true)
        {
            var rest = data[used..];
            if (rest.Length < 2)
            {
                return used;
            }

            int remaining = 0, multiplier = 1, i = 1;
            while (true)
            {
                if (i >= rest.Length)
                {
                    return used;
                }

                var digit = rest[i++];
                remaining += (digit & 0x7F) * multiplier;
                multiplier *= 128;
                if ((digit & 0x80) == 0)
                {
                    break;
                }
            }

            if (rest.Length < i + remaining)
            {
                return used;
            }

            handler(rest[0], rest.Slice(i, remaining));
            used += i + remaining;
        }
    }
}
