using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A loopback TCP relay in front of a server (here PostgreSQL) that can be shut like a server going
/// down: <see cref="Shut"/> drops every open connection and refuses new ones until <see cref="Open"/>.
/// </summary>
public sealed class TcpGate : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Guid, (Socket Client, Socket Server)> _links = new();
    private readonly CancellationTokenSource _disposed = new();
    private TcpListener _listener;
    private Task _accepting = Task.CompletedTask;

    public TcpGate(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost), targetPort);
        _listener = NewListener(0);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_listener);
    }

    public int Port { get; }

    public void Shut()
    {
        _listener.Stop();
        foreach (var (id, link) in _links)
        {
            // The sockets themselves, held from the start: a relay ending at this moment may have disposed
            // its TcpClients already, and closing a closed socket does nothing.
            link.Client.Close(0);
            link.Server.Close(0);
            _links.TryRemove(id, out _);
        }
    }

    public void Open()
    {
        _listener = NewListener(Port);
        _accepting = AcceptAsync(_listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        Shut();
        await _accepting;
        _disposed.Dispose();
    }

    private static TcpListener NewListener(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (!_disposed.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(_disposed.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // shut
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        var id = Guid.NewGuid();
        try
        {
            await server.ConnectAsync(_target);
            _links[id] = (client.Client, server.Client);
            var up = client.GetStream().CopyToAsync(server.GetStream());
            var down = server.GetStream().CopyToAsync(client.GetStream());
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            // the gate was shut or one side went away
        }
        finally
        {
            _links.TryRemove(id, out _);
            client.Dispose();
            server.Dispose();
        }
    }
}
