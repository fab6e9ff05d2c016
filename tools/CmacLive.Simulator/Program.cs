using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using CmacLive.Simulator;
using MQTTnet;
using MQTTnet.Protocol;

SimulatorOptions options;
try
{
    options = SimulatorOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var token = options.Token ?? ReadSavedToken();
if (token is null)
{
    Console.Error.WriteLine("No admin token: pass --token, or start the silo once so it saves one under silo/CmacLive.Silo/data/.");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
if (options.Duration > TimeSpan.Zero)
{
    stop.CancelAfter(options.Duration);
}

using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
await using var watch = options.Watch ? new LatencyWatch() : null;
var fleet = new Fleet(options, http, watch);
try
{
    await fleet.ProvisionAsync(stop.Token);
    if (watch is not null)
    {
        await watch.StartAsync(options.Url, token, stop.Token);
    }

    await fleet.RunAsync(stop.Token);
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"The silo at {options.Url} did not answer: {ex.Message}");
    return 1;
}

return 0;

static string? ReadSavedToken()
{
    foreach (var path in new[] { "silo/CmacLive.Silo/data/admin-token", "data/admin-token" })
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
    }

    return null;
}

namespace CmacLive.Simulator
{
    /// <summary>Provisions the fleet over REST and drives every device over its own MQTT connection.</summary>
    internal sealed partial class Fleet(SimulatorOptions options, HttpClient http, LatencyWatch? watch)
    {
        private const string AreaCode = "BB/CHA/SIM/0001";
        private readonly List<(FieldAsset Asset, string DeviceId, string Secret)> _devices = [];
        private long _fixes;
        private long _detections;
        private long _refused;
        private readonly ConcurrentQueue<double> _ackMillis = new();
        private readonly ConcurrentQueue<double> _steadyAckMillis = new();
        private long _fleetStarted = Stopwatch.GetTimestamp();
        private long _sos;

        public async Task ProvisionAsync(CancellationToken cancellationToken)
        {
            var terrain = Terrain.Samlot;
            var corners = new[] { (0.0, 0.0), (Terrain.AreaWidth, 0.0), (Terrain.AreaWidth, Terrain.AreaHeight), (0.0, Terrain.AreaHeight), (0.0, 0.0) }
                .Select(c => terrain.At(c.Item1, c.Item2)).Select(p => new[] { Math.Round(p.Lon, 7), Math.Round(p.Lat, 7) }).ToArray();
            await PutAsync($"/api/hazard-areas/{Uri.EscapeDataString(AreaCode)}", new
            {
                type = "Feature",
                properties = new { type = "CHA", name = "Samlot simulated minefield", province = "Battambang", unit = options.Unit },
                geometry = new { type = "Polygon", coordinates = new[] { corners } },
            }, cancellationToken);

            var index = 0;
            var kinds = Enumerable.Repeat(Kind.Team, options.Teams).Concat(Enumerable.Repeat(Kind.Machine, options.Machines))
                .Concat(Enumerable.Repeat(Kind.Dog, options.Dogs)).Concat(Enumerable.Repeat(Kind.Rat, options.Rats));
            foreach (var kind in kinds)
            {
                var number = _devices.Count(d => d.Asset.Kind == kind) + 1;
                var (label, name, capabilities) = kind switch
                {
                    Kind.Team => ("EOD", $"Demining team {number}", new[] { "manual", "eod" }),
                    Kind.Machine => ("MECH", $"Flail {number}", new[] { "mechanical" }),
                    Kind.Dog => ("MDD", $"Dog {number}", new[] { "mdd" }),
                    _ => ("MDR", $"Rat {number}", new[] { "mdr" }),
                };
                var id = $"{options.Unit}-SIM-{label}-{number:00}";
                var asset = new FieldAsset(id, kind, index, options.Seed + index);
                index++;
                await PutAsync($"/api/assets/{id}", new { kind = kind.ToString().ToLowerInvariant(), name, unit = options.Unit, capabilities }, cancellationToken);
                var deviceId = $"{id}-trk";
                var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
                await PutAsync($"/api/devices/{deviceId}", new { assetId = id, kind = "tracker", secret }, cancellationToken);
                await AssignAsync(id, cancellationToken);
                _devices.Add((asset, deviceId, secret));
            }

            await ProvisionRespondersAsync(cancellationToken);
            Console.WriteLine($"Provisioned {_devices.Count} assets of unit {options.Unit} in hazard area {AreaCode} near Samlot, Battambang, and {_responders.Count} mobile EOD teams at the unit's base.");
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            _fleetStarted = Stopwatch.GetTimestamp();
            var progress = ProgressAsync(started, cancellationToken);
            await Task.WhenAll(_devices.Select(d => DriveAsync(d.Asset, d.DeviceId, d.Secret, cancellationToken))
                .Concat(_responders.Select(r => RespondAsync(r, cancellationToken)))
                .Append(DispatchAsync(cancellationToken))
                .Append(progress));
            Console.WriteLine();
            Console.WriteLine($"Done: {Interlocked.Read(ref _fixes)} fixes, {Interlocked.Read(ref _detections)} detections, {Interlocked.Read(ref _sos)} SOS, {Interlocked.Read(ref _refused)} refused.");
            Console.WriteLine($"latency publish->PUBACK (stored in history), all: {LatencyWatch.Percentiles(_ackMillis)}");
            Console.WriteLine($"latency publish->PUBACK after the first {LatencyWatch.WarmUp.TotalSeconds:0} s: {LatencyWatch.Percentiles(_steadyAckMillis)}");
            if (watch is not null)
            {
                Console.WriteLine(watch.Summary());
            }
        }

        private async Task DriveAsync(FieldAsset asset, string deviceId, string secret, CancellationToken cancellationToken)
        {
            using var client = new MqttClientFactory().CreateMqttClient();
            var mqtt = new MqttClientOptionsBuilder()
                .WithTcpServer(options.MqttHost, options.MqttPort)
                .WithClientId(deviceId)
                .WithCredentials(deviceId, secret)
                .WithCleanSession(false)
                .Build();
            var period = TimeSpan.FromSeconds(1 / options.FixesPerSecond);
            using var timer = new PeriodicTimer(period);
            var terrain = Terrain.Samlot;
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    try
                    {
                        if (!client.IsConnected)
                        {
                            var result = await client.ConnectAsync(mqtt, cancellationToken);
                            if (result.ResultCode != MqttClientConnectResultCode.Success)
                            {
                                Console.Error.WriteLine($"{deviceId}: connection refused ({result.ResultCode})");
                                return;
                            }

                            await PublishAsync(client, $"cmac/v1/{deviceId}/status",
                                new { ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), state = asset.State, bat = asset.Battery }, cancellationToken);
                        }

                        var now = DateTimeOffset.UtcNow;
                        var changed = asset.Step(period.TotalSeconds, now, options.SosPerHour);
                        if (changed is not null)
                        {
                            if (changed == "sos")
                            {
                                Interlocked.Increment(ref _sos);
                            }

                            await PublishAsync(client, $"cmac/v1/{deviceId}/status", new { ts = now.ToUnixTimeMilliseconds(), state = changed, bat = asset.Battery }, cancellationToken);
                        }

                        var (lat, lon) = terrain.At(asset.Position.East, asset.Position.North);
                        watch?.Sent(asset.Id, now.ToUnixTimeMilliseconds());
                        await PublishAsync(client, $"cmac/v1/{deviceId}/position", new
                        {
                            ts = now.ToUnixTimeMilliseconds(),
                            lat = Math.Round(lat, 7),
                            lon = Math.Round(lon, 7),
                            acc = 3.5,
                            spd = asset.Speed,
                            hdg = asset.Heading,
                            bat = asset.Battery,
                        }, cancellationToken);
                        Interlocked.Increment(ref _fixes);

                        if (asset.Detects(period.TotalSeconds))
                        {
                            await PublishAsync(client, $"cmac/v1/{deviceId}/detection", new
                            {
                                ts = now.ToUnixTimeMilliseconds(),
                                lat = Math.Round(lat, 7),
                                lon = Math.Round(lon, 7),
                                sensor = asset.Sensor,
                                depthCm = asset.DetectionDepthCm(),
                            }, cancellationToken);
                            Interlocked.Increment(ref _detections);
                        }
                    }
                    catch (MQTTnet.Exceptions.MqttCommunicationException ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        // The broker went away: reconnect on the next tick.
                        Console.Error.WriteLine($"{deviceId}: {ex.Message}; reconnecting");
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None);
            }
        }

        private async Task PublishAsync(IMqttClient client, string topic, object payload, CancellationToken cancellationToken)
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(JsonSerializer.SerializeToUtf8Bytes(payload))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var sentAt = Stopwatch.GetTimestamp();
            var result = await client.PublishAsync(message, cancellationToken);
            if (!result.IsSuccess)
            {
                Interlocked.Increment(ref _refused);
            }
            else
            {
                // The silo acknowledges only what is in durable history: this is publish-to-durable latency.
                var millis = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
                _ackMillis.Enqueue(millis);
                if (Stopwatch.GetElapsedTime(_fleetStarted, sentAt) > LatencyWatch.WarmUp)
                {
                    _steadyAckMillis.Enqueue(millis);
                }
            }
        }

        private async Task ProgressAsync(DateTimeOffset started, CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    var elapsed = (DateTimeOffset.UtcNow - started).TotalSeconds;
                    var fixes = Interlocked.Read(ref _fixes);
                    Console.Write(string.Create(CultureInfo.InvariantCulture,
                        $"\r{elapsed,6:0}s  assets {_devices.Count + _responders.Count}  fixes {fixes} ({fixes / Math.Max(elapsed, 1):0.0}/s)  detections {Interlocked.Read(ref _detections)}  SOS {Interlocked.Read(ref _sos)}  requests {Interlocked.Read(ref _requests)} ({Interlocked.Read(ref _resolved)} resolved)  refused {Interlocked.Read(ref _refused)}   "));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>Gives the asset the simulated area as its task, so its working fixes count as searched ground.</summary>
        private async Task AssignAsync(string assetId, CancellationToken cancellationToken)
        {
            using var response = await http.PutAsJsonAsync($"/api/hazard-areas/{Uri.EscapeDataString(AreaCode)}/assets/{assetId}", new { }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // A released area (from an earlier run) takes no tasks: the fleet still runs, without progress.
                Console.WriteLine($"{assetId} not assigned to {AreaCode}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        private async Task PutAsync(string path, object body, CancellationToken cancellationToken)
        {
            using var response = await http.PutAsJsonAsync(path, body, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new HttpRequestException($"PUT {path} answered {(int)response.StatusCode}: {problem}");
            }
        }
    }
}
