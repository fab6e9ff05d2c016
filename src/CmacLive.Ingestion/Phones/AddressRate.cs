using System.Collections.Concurrent;
using CmacLive.Throttling;

namespace CmacLive.Ingestion.Phones;

/// <summary>
/// A token bucket per source address for the phones' endpoint, before any other work. At most
/// <see cref="OsmandOptions.AddressesTracked"/> addresses are remembered; when that many are, all are forgotten at once.
/// </summary>
public sealed class AddressRate(OsmandOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _addresses = new(StringComparer.Ordinal);

    /// <summary>Takes a token for one request from <paramref name="address"/>; false when it is over its rate.</summary>
    public bool TryTake(string address)
    {
        var now = time.GetTimestamp();
        if (!_addresses.TryGetValue(address, out var bucket))
        {
            if (_addresses.Count >= options.AddressesTracked)
            {
                _addresses.Clear();
            }

            bucket = _addresses.GetOrAdd(address, _ => new TokenBucket(options.MaxRequestsPerSecondPerAddress, options.RequestBurstPerAddress, now, time.TimestampFrequency));
        }

        return bucket.TryTake(now);
    }
}
