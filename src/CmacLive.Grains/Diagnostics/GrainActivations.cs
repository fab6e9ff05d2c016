using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Orleans.Metadata;

namespace CmacLive.Diagnostics;

/// <summary>
/// <c>cmaclive.grain.activations</c> (meter <c>CmacLive.Grains</c>): this silo's grain activations by grain type, counted
/// as each activates and deactivates (stateless workers aside). One lifecycle subscription per activation; nothing is asked of the grains at a scrape.
/// </summary>
public sealed class GrainActivations(IMeterFactory meters) : IConfigureGrainContextProvider
{
    private readonly UpDownCounter<int> _activations = meters.Create(Assets.AssetGrainServices.MeterName)
        .CreateUpDownCounter<int>("cmaclive.grain.activations", "{activation}", "Grain activations on this silo, by grain type");

    private readonly ConcurrentDictionary<GrainType, IConfigureGrainContext> _byType = new();

    public bool TryGetConfigurator(GrainType grainType, GrainProperties properties, [NotNullWhen(true)] out IConfigureGrainContext? configurator)
    {
        // A stateless worker's context has no lifecycle of its own (its workers are made without configurators): not counted.
        if (properties.Properties.TryGetValue(WellKnownGrainTypeProperties.PlacementStrategy, out var placement)
            && placement == "StatelessWorkerPlacement")
        {
            configurator = null;
            return false;
        }

        configurator = _byType.GetOrAdd(grainType, type => new Counting(_activations, type.ToString() ?? "unknown"));
        return true;
    }

    /// <summary>One per grain type: its tag and callbacks are made once, so an activation adds only its subscription.</summary>
    private sealed class Counting : IConfigureGrainContext
    {
        private readonly Func<CancellationToken, Task> _activated;
        private readonly Func<CancellationToken, Task> _deactivated;

        public Counting(UpDownCounter<int> activations, string type)
        {
            var tag = new KeyValuePair<string, object?>("type", type);
            _activated = _ =>
            {
                activations.Add(1, tag);
                return Task.CompletedTask;
            };
            _deactivated = _ =>
            {
                activations.Add(-1, tag);
                return Task.CompletedTask;
            };
        }

        public void Configure(IGrainContext context) =>
            context.ObservableLifecycle.Subscribe("cmaclive.activations", GrainLifecycleStage.Activate, _activated, _deactivated);
    }
}
