using CmacLive.HazardAreas;
using CmacLive.Storage;

namespace CmacLive.Detections;

/// <summary>
/// The detections of one area. Bounded by what matters: open detections and finds are kept (an area's
/// finds number in the hundreds at most); clutter, which can run into thousands, is counted and only the
/// most recent kept. Tells the area its find tally when it changes.
/// </summary>
public sealed class DetectionIndexGrain(
    [PersistentState("detections", StorageNames.Main)] IPersistentState<DetectionIndexState> store) : Grain, IDetectionIndexGrain
{
    public const int ClutterKept = 200;

    public async Task Upsert(Detection detection)
    {
        var state = store.State;
        if (detection.Status == DetectionStatus.Clutter)
        {
            if (state.RecentClutter.Exists(d => d.Id == detection.Id))
            {
                return;
            }

            state.Items.Remove(detection.Id);
            state.ClutterCount++;
            state.RecentClutter.Add(detection);
            if (state.RecentClutter.Count > ClutterKept)
            {
                state.RecentClutter.RemoveRange(0, state.RecentClutter.Count - ClutterKept);
            }
        }
        else if (state.Items.TryGetValue(detection.Id, out var known) && known == detection)
        {
            return;
        }
        else
        {
            state.Items[detection.Id] = detection;
        }

        await store.WriteStateAsync();
        var code = this.GetPrimaryKeyString();
        if (code != IDetectionIndexGrain.Outside)
        {
            await GrainFactory.GetGrain<IHazardAreaGrain>(code).CountDetections(DetectionTally.Of(state.Items.Values, state.ClutterCount));
        }
    }

    public Task<IReadOnlyList<Detection>> List() => Task.FromResult<IReadOnlyList<Detection>>(
        [.. store.State.Items.Values.Concat(store.State.RecentClutter).OrderBy(d => d.Ts).ThenBy(d => d.Id, StringComparer.Ordinal)]);
}
