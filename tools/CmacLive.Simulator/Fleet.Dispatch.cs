using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace CmacLive.Simulator;

/// <summary>
/// A mobile EOD team of the simulation: it waits at the unit's base, takes the assignments sent to its
/// tracker, acknowledges after a moment, drives to the site and works there until freed.
/// </summary>
internal sealed class Responder(string id, string deviceId, string secret)
{
    /// <summary>Driving speed on the roads around Samlot, m/s.</summary>
    public const double Speed = 12;

    public string Id { get; } = id;

    public string DeviceId { get; } = deviceId;

    public string Secret { get; } = secret;

    /// <summary>Downlinks received, and word from the simulated dispatcher that the request is resolved.</summary>
    public ConcurrentQueue<JsonElement> Inbox { get; } = new();

    public double East { get; set; } = Terrain.BaseEast;

    public double North { get; set; } = Terrain.BaseNorth;

    public string State { get; set; } = "standby";

    public string? RequestId { get; set; }

    public DateTimeOffset? AckAt { get; set; }

    public (double East, double North)? Target { get; set; }
}

internal sealed partial class Fleet
{
    private readonly List<Responder> _responders = [];
    private long _requests;
    private long _resolved;
    private readonly ConcurrentDictionary<string, string> _open = new(); // request → team, for the simulated dispatcher

    private async Task ProvisionRespondersAsync(CancellationToken cancellationToken)
    {
        for (var n = 1; n <= options.Eod; n++)
        {
            var id = $"{options.Unit}-SIM-MEOD-{n:00}";
            await PutAsync($"/api/assets/{id}", new { kind = "team", name = $"Mobile EOD team {n}", unit = options.Unit, capabilities = new[] { "eod" } }, cancellationToken);
            var deviceId = $"{id}-trk";
            var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
            await PutAsync($"/api/devices/{deviceId}", new { assetId = id, kind = "tracker", secret }, cancellationToken);
            var team = new Responder(id, deviceId, secret);
            await ResumeAsync(team, cancellationToken);
            _responders.Add(team);
        }
    }

    /// <summary>A team starts where it was last seen, and one still on a request from an earlier run picks it up again (as a tracker keeps its job across a reboot).</summary>
    private async Task ResumeAsync(Responder team, CancellationToken cancellationToken)
    {
        var status = await http.GetFromJsonAsync<JsonElement>($"/api/assets/{team.Id}", cancellationToken);
        if (status.TryGetProperty("position", out var position) && position.ValueKind == JsonValueKind.Object)
        {
            (team.East, team.North) = Terrain.Samlot.Local(position.GetProperty("lat").GetDouble(), position.GetProperty("lon").GetDouble());
        }

        if (!status.TryGetProperty("dispatch", out var dispatch) || dispatch.GetString() is not { } requestId)
        {
            return;
        }

        var request = await http.GetFromJsonAsync<JsonElement>($"/api/dispatch/requests/{requestId}", cancellationToken);
        var report = request.GetProperty("report");
        team.RequestId = requestId;
        team.Target = Terrain.Samlot.Local(report.GetProperty("lat").GetDouble(), report.GetProperty("lon").GetDouble());
        if (request.GetProperty("status").GetString() == "assigned")
        {
            team.AckAt = DateTimeOffset.UtcNow.AddSeconds(5);
        }
        else
        {
            team.State = "travelling";
        }

        _open[requestId] = team.Id;
        Console.WriteLine($"{team.Id} resumes request {requestId}");
    }

    /// <summary>Drives one mobile EOD team: its fixes, its state, its acknowledgements, from its own MQTT connection.</summary>
    private async Task RespondAsync(Responder team, CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            team.Inbox.Enqueue(JsonDocument.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)).RootElement.Clone());
            return Task.CompletedTask;
        };
        var mqtt = new MqttClientOptionsBuilder().WithTcpServer(options.MqttHost, options.MqttPort)
            .WithClientId(team.DeviceId).WithCredentials(team.DeviceId, team.Secret).WithCleanSession(false).Build();
        var random = new Random(options.Seed + team.Id.GetHashCode(StringComparison.Ordinal));
        var terrain = Terrain.Samlot;
        var period = TimeSpan.FromSeconds(1 / options.FixesPerSecond);
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    if (!client.IsConnected)
                    {
                        if ((await client.ConnectAsync(mqtt, cancellationToken)).ResultCode != MqttClientConnectResultCode.Success)
                        {
                            Console.Error.WriteLine($"{team.DeviceId}: connection refused");
                            return;
                        }

                        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                            .WithTopicFilter($"cmac/v1/{team.DeviceId}/cmd", MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
                        await PublishAsync(client, $"cmac/v1/{team.DeviceId}/status", new { ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), state = team.State }, cancellationToken);
                    }

                    var now = DateTimeOffset.UtcNow;
                    var state = team.State;
                    while (team.Inbox.TryDequeue(out var message))
                    {
                        Take(team, message, now, random, terrain);
                    }

                    if (team.AckAt is { } ackAt && now >= ackAt && team.RequestId is { } requestId)
                    {
                        team.AckAt = null;
                        await PublishAsync(client, $"cmac/v1/{team.DeviceId}/ack", new { ts = now.ToUnixTimeMilliseconds(), requestId }, cancellationToken);
                        team.State = "travelling";
                    }

                    Drive(team, period.TotalSeconds);
                    if (team.State != state)
                    {
                        await PublishAsync(client, $"cmac/v1/{team.DeviceId}/status", new { ts = now.ToUnixTimeMilliseconds(), state = team.State }, cancellationToken);
                    }

                    var (lat, lon) = terrain.At(team.East, team.North);
                    await PublishAsync(client, $"cmac/v1/{team.DeviceId}/position", new
                    {
                        ts = now.ToUnixTimeMilliseconds(),
                        lat = Math.Round(lat, 7),
                        lon = Math.Round(lon, 7),
                        acc = 5,
                        spd = team.State == "travelling" ? Responder.Speed : 0,
                    }, cancellationToken);
                    Interlocked.Increment(ref _fixes);
                }
                catch (MQTTnet.Exceptions.MqttCommunicationException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    Console.Error.WriteLine($"{team.DeviceId}: {ex.Message}; reconnecting");
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

    /// <summary>An assignment: acknowledge in a few seconds and go. A cancellation or a resolved request: back to base.</summary>
    private static void Take(Responder team, JsonElement message, DateTimeOffset now, Random random, Terrain terrain)
    {
        var type = message.TryGetProperty("type", out var t) ? t.GetString() : null;
        var requestId = message.TryGetProperty("requestId", out var r) ? r.GetString() : null;
        if (type == "assignment" && requestId is not null && team.RequestId != requestId)
        {
            team.RequestId = requestId;
            team.AckAt = now.AddSeconds(3 + (random.NextDouble() * 5));
            team.Target = terrain.Local(message.GetProperty("lat").GetDouble(), message.GetProperty("lon").GetDouble());
        }
        else if (type is "cancelled" or "resolved" && requestId == team.RequestId)
        {
            team.RequestId = null;
            team.AckAt = null;
            team.Target = (Terrain.BaseEast, Terrain.BaseNorth);
            team.State = "travelling";
        }
    }

    /// <summary>Moves towards the target at driving speed; works once at a site, stands by once back at base.</summary>
    private static void Drive(Responder team, double seconds)
    {
        if (team.Target is not { } target || team.State != "travelling")
        {
            return;
        }

        var (dx, dy) = (target.East - team.East, target.North - team.North);
        var distance = Math.Sqrt((dx * dx) + (dy * dy));
        var step = Responder.Speed * seconds;
        if (distance <= step + 15)
        {
            (team.East, team.North) = (target.East - (Math.Sign(dx) * Math.Min(Math.Abs(dx), 10)), target.North);
            team.Target = null;
            team.State = team.RequestId is null ? "standby" : "working";
            return;
        }

        team.East += dx / distance * step;
        team.North += dy / distance * step;
    }

    /// <summary>
    /// The simulated hotline and dispatcher: files a community's report now and then, a few kilometres from the
    /// base, sends the first recommended team, and resolves the request once the team has worked on site a minute.
    /// </summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        if (options.RequestsPerHour <= 0 || _responders.Count == 0)
        {
            return;
        }

        var random = new Random(options.Seed);
        var terrain = Terrain.Samlot;
        var open = _open;
        var next = DateTimeOffset.UtcNow.AddSeconds(15);
        string[] found = ["uxo", "uxo", "mine", "cluster-munition", "unknown"];
        string[] villages = ["Ou Treng", "Kampong Lpov", "Ta Sanh", "Chrey Seima", "Boeng Run", "Kanhchang"];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
                var now = DateTimeOffset.UtcNow;
                foreach (var (requestId, sent) in open.ToList())
                {
                    using var response = await http.GetAsync($"/api/dispatch/requests/{requestId}", cancellationToken);
                    var request = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                    if (request.GetProperty("status").GetString() == "on-site"
                        && request.GetProperty("onSiteAt").GetDateTimeOffset() < now.AddMinutes(-1))
                    {
                        var items = random.Next(0, 4);
                        using var resolved = await http.PostAsJsonAsync($"/api/dispatch/requests/{requestId}/resolve",
                            new { outcome = items == 0 ? "nothing-found" : "destroyed", items, by = "simulated dispatcher" }, cancellationToken);
                        open.TryRemove(requestId, out _);
                        Interlocked.Increment(ref _resolved);
                        _responders.First(r => r.Id == sent).Inbox.Enqueue(JsonSerializer.SerializeToElement(new { type = "resolved", requestId }));
                    }
                }

                if (now < next || open.Count >= _responders.Count)
                {
                    continue;
                }

                next = now.AddSeconds(-Math.Log(1 - random.NextDouble()) * 3600 / options.RequestsPerHour);
                var angle = random.NextDouble() * 2 * Math.PI;
                var range = 1_000 + (random.NextDouble() * 3_000);
                var (lat, lon) = terrain.At(Terrain.BaseEast + (range * Math.Cos(angle)), Terrain.BaseNorth + (range * Math.Sin(angle)));
                using var filed = await http.PostAsJsonAsync("/api/dispatch/requests", new
                {
                    lat = Math.Round(lat, 6),
                    lon = Math.Round(lon, 6),
                    found = found[random.Next(found.Length)],
                    village = villages[random.Next(villages.Length)],
                    district = "Samlot",
                    province = "Battambang",
                    description = "Reported by a farmer on the hotline",
                    nearPeople = random.NextDouble() < 0.4,
                    nearSchool = random.NextDouble() < 0.1,
                    nearRoad = random.NextDouble() < 0.5,
                    unit = options.Unit,
                    by = "simulated hotline",
                }, cancellationToken);
                if (!filed.IsSuccessStatusCode)
                {
                    continue;
                }

                Interlocked.Increment(ref _requests);
                var view = await filed.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                var id = view.GetProperty("id").GetString()!;
                var teamId = view.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("teamId").GetString())
                    .FirstOrDefault(t => _responders.Any(r => r.Id == t));
                if (teamId is null)
                {
                    continue; // no simulated team free: the request waits, as it would for a dispatcher
                }

                using var assigned = await http.PostAsJsonAsync($"/api/dispatch/requests/{id}/assign", new { teamId, by = "simulated dispatcher" }, cancellationToken);
                if (assigned.IsSuccessStatusCode)
                {
                    open[id] = teamId;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (HttpRequestException ex)
        {
            Console.Error.WriteLine($"simulated dispatcher stopped: {ex.Message}");
        }
    }
}
