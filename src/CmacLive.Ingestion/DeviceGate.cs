using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CmacLive.Throttling;

namespace CmacLive.Ingestion;

/// <summary>
/// The embedded broker's limits per device and per source address, on this silo: failed CONNECTs (a back-off after
/// <see cref="MqttOptions.ConnectFailureLimit"/> (per device) or
/// <see cref="MqttOptions.ConnectFailureLimitPerAddress"/> in a minute, doubling up to <see cref="MqttOptions.ConnectMaxBackoff"/>,
/// refused without a password check), sessions per device, and a token bucket per device for its uplinks. A device's
/// own right secret still connects during a back-off: it is compared, cheaply, with a keyed hash of the secret the
/// device last connected with, which a new secret or a deletion forgets. One CONNECT per device is checked at a time, so
/// guesses sent at once cannot slip past the count; a failure is counted only when a check ran and failed, never when it
/// could not run (a silo lost during a failover), so a fleet reconnecting then is never banned.
/// </summary>
public sealed class DeviceGate
{
    private readonly MqttOptions _options;
    private readonly TimeProvider _time;
    private readonly FailureLimiter _failures;
    private readonly FailureLimiter _addressFailures;
    private readonly ConcurrentDictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _checking = new(StringComparer.Ordinal);
    private readonly byte[] _credentialKey = RandomNumberGenerator.GetBytes(32);
    private long _connected;

    public DeviceGate(MqttOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _failures = new FailureLimiter(options.ConnectFailureLimit, options.ConnectBackoff, options.ConnectMaxBackoff, options.ConnectFailuresTracked, time);
        _addressFailures = new FailureLimiter(options.ConnectFailureLimitPerAddress, options.ConnectBackoff, options.ConnectMaxBackoff, options.ConnectFailuresTracked, time);
    }

    private sealed class Device(TokenBucket uplinks, TokenBucket safety)
    {
        public readonly Lock Gate = new();
        public readonly List<string> Sessions = [];

        /// <summary>Sessions whose CONNECT was accepted and whose CONNACK is on its way, with when (a timestamp).</summary>
        public readonly List<(string ClientId, long At)> Reserved = [];
        public readonly TokenBucket Uplinks = uplinks;

        /// <summary>Status messages (an SOS among them) have a bucket of their own: a flood of fixes never uses it up.</summary>
        public readonly TokenBucket Safety = safety;

        public byte[]? Credential;

        /// <summary>1 while the device's uplinks (or, apart, its status messages) are over their rate: an episode under way.</summary>
        public int RateLimited;
        public int SafetyRateLimited;
    }

    /// <summary>Before the password check: whether to check it, or to refuse at once (a back-off, or a check of the device under way).</summary>
    public ConnectGate BeforeCheck(string deviceId, string address, string password)
    {
        if ((_failures.Blocked(deviceId) ?? _addressFailures.Blocked(address)) is { } wait && !IsLastCredential(deviceId, password))
        {
            return ConnectGate.Refused(wait);
        }

        return _checking.TryAdd(deviceId, 0) ? ConnectGate.Checking : ConnectGate.Busy;
    }

    /// <summary>
    /// After a check begun with <see cref="ConnectGate.Checking"/>: true or false when it ran (a failure is counted, a success
    /// forgets the device's failures and remembers its secret), null when it could not run (nothing counted). True in
    /// <paramref name="startedBackoff"/> when this failure started a back-off.
    /// </summary>
    public void Checked(string deviceId, string address, string password, bool? accepted, out bool startedBackoff)
    {
        startedBackoff = false;
        _checking.TryRemove(deviceId, out _);
        if (accepted is false)
        {
            startedBackoff = _failures.Failed(deviceId) | _addressFailures.Failed(address);
        }
        else if (accepted is true)
        {
            _failures.Forget(deviceId);
            var device = DeviceOf(deviceId);
            var credential = Hash(password);
            lock (device.Gate)
            {
                device.Credential = credential;
            }
        }
    }

    /// <summary>
    /// Reserves a session of the device for <paramref name="clientId"/> when one more fits (a session taking over one of
    /// the same client id always does); false when it does not. Reserved at the CONNECT check, before the CONNACK, so a
    /// device connecting again at once is counted with it; a reservation that never becomes a session (the connection
    /// lost before its CONNACK) lapses after <see cref="MqttOptions.ConnectTimeout"/>.
    /// </summary>
    public bool TryOpen(string deviceId, string clientId)
    {
        var device = DeviceOf(deviceId);
        var now = _time.GetTimestamp();
        lock (device.Gate)
        {
            device.Reserved.RemoveAll(r => _time.GetElapsedTime(r.At, now) > _options.ConnectTimeout);
            var takeover = device.Sessions.Contains(clientId) || device.Reserved.Exists(r => r.ClientId == clientId);
            if (!takeover && device.Sessions.Count + device.Reserved.Count >= _options.MaxConnectionsPerDevice)
            {
                return false;
            }

            device.Reserved.Add((clientId, now));
            return true;
        }
    }

    /// <summary>Devices with at least one session open.</summary>
    public long ConnectedDevices => Interlocked.Read(ref _connected);

    /// <summary>The session reserved at its CONNECT check is open.</summary>
    public void Opened(string deviceId, string clientId)
    {
        var device = DeviceOf(deviceId);
        lock (device.Gate)
        {
            var reserved = device.Reserved.FindIndex(r => r.ClientId == clientId);
            if (reserved >= 0)
            {
                device.Reserved.RemoveAt(reserved);
            }

            if (device.Sessions.Count == 0)
            {
                Interlocked.Increment(ref _connected);
            }

            device.Sessions.Add(clientId);
        }
    }

    public void Closed(string deviceId, string clientId)
    {
        if (_devices.TryGetValue(deviceId, out var device))
        {
            lock (device.Gate)
            {
                if (device.Sessions.Remove(clientId) && device.Sessions.Count == 0)
                {
                    Interlocked.Decrement(ref _connected);
                }
            }
        }
    }

    /// <summary>
    /// Takes a token for one uplink; false when the device is over its rate. <paramref name="episodeStarts"/> is true for
    /// the first refusal after the device was within its rate (to log once per episode).
    /// </summary>
    public bool TryUplink(string deviceId, bool safety, out bool episodeStarts)
    {
        episodeStarts = false;
        var device = DeviceOf(deviceId);
        ref var limited = ref safety ? ref device.SafetyRateLimited : ref device.RateLimited;
        if ((safety ? device.Safety : device.Uplinks).TryTake(_time.GetTimestamp()))
        {
            Volatile.Write(ref limited, 0);
            return true;
        }

        episodeStarts = Interlocked.Exchange(ref limited, 1) == 0;
        return false;
    }

    /// <summary>The device's secret was replaced or the device deleted: the remembered secret no longer opens a back-off.</summary>
    public void Forget(string deviceId)
    {
        if (_devices.TryGetValue(deviceId, out var device))
        {
            lock (device.Gate)
            {
                device.Credential = null;
            }
        }
    }

    private bool IsLastCredential(string deviceId, string password)
    {
        if (!_devices.TryGetValue(deviceId, out var device))
        {
            return false;
        }

        byte[]? known;
        lock (device.Gate)
        {
            known = device.Credential;
        }

        return known is not null && CryptographicOperations.FixedTimeEquals(known, Hash(password));
    }

    /// <summary>The device's entry; without allocating once it exists (the per-uplink path).</summary>
    private Device DeviceOf(string deviceId) =>
        _devices.TryGetValue(deviceId, out var device) ? device : _devices.GetOrAdd(deviceId, static (_, gate) => gate.NewDevice(), this);

    private Device NewDevice()
    {
        var now = _time.GetTimestamp();
        return new Device(
            new TokenBucket(_options.MaxMessagesPerSecondPerDevice, _options.MessageBurstPerDevice, now, _time.TimestampFrequency),
            new TokenBucket(_options.MaxMessagesPerSecondPerDevice, _options.MessageBurstPerDevice, now, _time.TimestampFrequency));
    }

    private byte[] Hash(string password) => HMACSHA256.HashData(_credentialKey, Encoding.UTF8.GetBytes(password));
}
