using System.Collections.Concurrent;
using CmacLive.Assets;
using CmacLive.Downlinks;
using CmacLive.HazardAreas;
using CmacLive.Live;
using CmacLive.Storage;
using CmacLive.Storage.Audit;
using CmacLive.Storage.History;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace CmacLive.Grains.Tests;

/// <summary>
/// One in-process Orleans cluster for the grain tests, on a fake clock: time rules (offline after the
/// timeout, batching) advance by <see cref="Time"/>, never by sleeping. Tests use ids of their own.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cmaclive-grains-" + Guid.NewGuid().ToString("N")[..12]);
    private IOpsObserver? _observer;
    private IDownlinkObserver? _downlinkObserver;

    public static readonly TimeSpan RatOfflineTimeout = TimeSpan.FromMinutes(5);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Every batch the cluster's feed delivered to the test's hub observer.</summary>
    public Recorder Pushes { get; } = new();

    /// <summary>Every downlink the cluster's downlink feed delivered to the test's MQTT-side observer.</summary>
    public DownlinkRecorder Downlinks { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var time = Time;
        var store = new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(_folder, "state.db")}" };
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddCmacLiveStorage(store);
            silo.AddCmacLiveReminders(store);
            silo.Services.AddCmacLiveHistory(store);
            silo.Services.AddCmacLiveAudit(store);
            // Rats keep a timeout of their own (the rest keep the default two minutes).
            silo.Services.AddCmacLiveGrains(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Tracking:OfflineTimeout:Rat"] = RatOfflineTimeout.ToString(),
            }).Build());
            silo.Services.AddSingleton(time);
            silo.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(sp => sp.GetRequiredService<FakeTimeProvider>()));
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);

            // Reminders keep the test's clock too: deadlines fire when the fake time reaches them.
            silo.Services.AddKeyedSingleton<TimeProvider>(Orleans.Reminders.ReminderTimeProviderNames.Reminders, (sp, _) => sp.GetRequiredService<FakeTimeProvider>());
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        _observer = Cluster.Client.CreateObjectReference<IOpsObserver>(Pushes);
        _downlinkObserver = Cluster.Client.CreateObjectReference<IDownlinkObserver>(Downlinks);
        await RenewObserverAsync();
    }

    /// <summary>Registrations expire on the (fake) clock like a silo's; renew before looking at pushes or downlinks.</summary>
    public async Task RenewObserverAsync()
    {
        await Cluster.Client.GetGrain<IOpsHubRegistryGrain>(0).Register("test", _observer!);
        await Cluster.Client.GetGrain<IDownlinkRegistryGrain>(0).Register("test", _downlinkObserver!);
    }

    /// <summary>Waits until the pushes satisfy <paramref name="done"/>, renewing the observer and letting the clock run.</summary>
    public Task<List<AssetStatus>> PushedAsync(Func<List<AssetStatus>, bool> done) =>
        EventuallyAsync(async () =>
        {
            await RenewObserverAsync();
            return Pushes.Assets.ToList();
        }, done, "pushed", TimeSpan.FromMilliseconds(50));

    /// <summary>Waits until the pushed alerts satisfy <paramref name="done"/>.</summary>
    public Task<List<AlertUpdate>> PushedAlertsAsync(Func<List<AlertUpdate>, bool> done, TimeSpan? tick = null) =>
        EventuallyAsync(async () =>
        {
            await RenewObserverAsync();
            return Pushes.Alerts.ToList();
        }, done, "alerts pushed", tick ?? TimeSpan.FromMilliseconds(50));

    /// <summary>Waits until the pushed dispatch requests satisfy <paramref name="done"/>.</summary>
    public Task<List<Dispatch.DispatchRequestView>> PushedRequestsAsync(Func<List<Dispatch.DispatchRequestView>, bool> done) =>
        EventuallyAsync(async () =>
        {
            await RenewObserverAsync();
            return Pushes.Requests.ToList();
        }, done, "requests pushed", TimeSpan.FromMilliseconds(50));

    /// <summary>Waits until the downlinks sent satisfy <paramref name="done"/>.</summary>
    public Task<List<DeviceCommand>> SentCommandsAsync(Func<List<DeviceCommand>, bool> done) =>
        EventuallyAsync(async () =>
        {
            await RenewObserverAsync();
            return Downlinks.Commands.ToList();
        }, done, "downlinks sent", TimeSpan.FromMilliseconds(50));

    /// <summary>Waits until the pushed hazard areas satisfy <paramref name="done"/>.</summary>
    public Task<List<HazardAreaView>> PushedAreasAsync(Func<List<HazardAreaView>, bool> done) =>
        EventuallyAsync(async () =>
        {
            await RenewObserverAsync();
            return Pushes.Areas.ToList();
        }, done, "areas pushed", TimeSpan.FromMilliseconds(50));

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// Moves the fake clock forward in steps, letting each step's timers run; the test's hub observer
    /// renews its registration on the way, as a silo's does.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        var stride = step ?? TimeSpan.FromSeconds(1);
        for (var done = TimeSpan.Zero; done < by; done += stride)
        {
            Time.Advance(stride);
            await RenewObserverAsync();
        }
    }

    /// <summary>
    /// Waits (bounded, in real time) for an asynchronous outcome the clock has made due. With
    /// <paramref name="tick"/>, the fake clock moves on by that much between looks, as time would.
    /// </summary>
    public async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? tick = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {what} within 10 s");
            }

            if (tick is { } t)
            {
                Time.Advance(t);
            }

            await Task.Delay(10);
        }
    }

    public sealed class Recorder : IOpsObserver
    {
        public ConcurrentQueue<AssetStatus> Assets { get; } = new();

        public ConcurrentQueue<HazardAreaView> Areas { get; } = new();

        public ConcurrentQueue<AlertUpdate> Alerts { get; } = new();

        public ConcurrentQueue<Dispatch.DispatchRequestView> Requests { get; } = new();

        /// <summary>Every list of hubs the registry handed over when a hub registered anew.</summary>
        public ConcurrentQueue<IReadOnlyList<OpsHubEntry>> Hubs { get; } = new();

        public Task OnHubs(IReadOnlyList<OpsHubEntry> hubs)
        {
            Hubs.Enqueue(hubs);
            return Task.CompletedTask;
        }

        public Task OnUpdates(OpsUpdateBatch batch)
        {
            foreach (var status in batch.Assets)
            {
                Assets.Enqueue(status);
            }

            foreach (var area in batch.HazardAreas)
            {
                Areas.Enqueue(area);
            }

            foreach (var alert in batch.Alerts)
            {
                Alerts.Enqueue(alert);
            }

            foreach (var request in batch.Requests)
            {
                Requests.Enqueue(request);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>What a silo's MQTT side would hand its broker.</summary>
public sealed class DownlinkRecorder : IDownlinkObserver
{
    public ConcurrentQueue<DeviceCommand> Commands { get; } = new();

    public Task OnCommands(DownlinkBatch batch)
    {
        foreach (var command in batch.Commands)
        {
            Commands.Enqueue(command);
        }

        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
