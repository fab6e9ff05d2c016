using CmacLive.Assets;
using CmacLive.HazardAreas;

namespace CmacLive.Live;

/// <summary>
/// A silo-local, stateless batching point: grains hand it their updates, it coalesces them for a short
/// moment and delivers one batch to every silo's observer. Never a cluster-wide hot spot.
/// </summary>
public interface IOpsFeedGrain : IGrainWithIntegerKey
{
    Task Publish(AssetStatus status);

    Task Publish(HazardAreaView area);

    Task Publish(AlertUpdate alert);

    Task Publish(Dispatch.DispatchRequestView request);

    /// <summary>Sends a downlink to a device, through every silo's broker (or the external one).</summary>
    Task Send(DeviceCommand command);
}
