using CmacLive.Assets;
using CmacLive.HazardAreas;

namespace CmacLive.Situations;

/// <summary>
/// The situation's counts, kept incrementally: the last kind, state, liveness and unit of each asset and the last status and
/// unit of each area, with each unit's <see cref="UnitCounts"/> moved by every change, so a count never visits every asset.
/// Two sources feed it: the live feed (<see cref="Observe(AssetStatus, ISet{string})"/>), and reads of every asset and area
/// (<see cref="Reread(AssetStatus, long, ISet{string})"/>) at start and now and then after, which correct what a lost update
/// left wrong. A read loses to whatever the feed brought for the same asset or area after the read began (<see cref="Mark"/>):
/// that is as new as the read or newer.
/// Not thread-safe: its owner locks. Bounded by the assets and areas of the cluster (one small entry each).
/// </summary>
public sealed class SituationTally
{
    /// <summary>The unit key of an area that names no unit: counted for the whole cluster only.</summary>
    public const string NoUnit = "";

    private readonly Dictionary<string, (AssetEntry Entry, long Fed)> _assets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (AreaEntry Entry, long Fed)> _areas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitCounts> _units = new(StringComparer.Ordinal);

    // How many updates the feed has brought: each entry notes the number of the last that set it (0: set by a read).
    private long _fed;

    public int Assets => _assets.Count;

    public int Areas => _areas.Count;

    /// <summary>The feed's position, taken before reading assets and areas to pass to <c>Reread</c>.</summary>
    public long Mark() => _fed;

    /// <summary>
    /// Takes an asset's status from the live feed; answers whether a count changed, adding the units whose counts changed to
    /// <paramref name="touched"/>.
    /// </summary>
    public bool Observe(AssetStatus status, ISet<string> touched) => Set(status, ++_fed, touched);

    /// <summary>
    /// Takes an asset's status read after <paramref name="mark"/> was taken; it is kept unless the feed brought the asset
    /// since the mark. Answers whether a count changed (on a silo that has the feed, something the feed lost or has yet to bring).
    /// </summary>
    public bool Reread(AssetStatus status, long mark, ISet<string> touched) =>
        !(_assets.TryGetValue(status.Id, out var known) && known.Fed > mark) && Set(status, 0, touched);

    /// <summary>Takes an area's view from the live feed, as <see cref="Observe(AssetStatus, ISet{string})"/> does an asset's status.</summary>
    public bool Observe(HazardAreaView area, ISet<string> touched) => Set(area, ++_fed, touched);

    /// <summary>Takes an area's view read after <paramref name="mark"/>, as <see cref="Reread(AssetStatus, long, ISet{string})"/> does an asset's status.</summary>
    public bool Reread(HazardAreaView area, long mark, ISet<string> touched) =>
        !(_areas.TryGetValue(area.Code, out var known) && known.Fed > mark) && Set(area, 0, touched);

    private bool Set(AssetStatus status, long fed, ISet<string> touched)
    {
        var entry = new AssetEntry(status.Kind, status.State, status.Online, status.Unit);
        var changed = true;
        if (_assets.TryGetValue(status.Id, out var known))
        {
            changed = known.Entry != entry;
            if (changed)
            {
                UnitOf(known.Entry.Unit).Asset(known.Entry.Kind, known.Entry.State, known.Entry.Online, -1);
                touched.Add(known.Entry.Unit);
            }
        }

        _assets[status.Id] = (entry, fed);
        if (changed)
        {
            UnitOf(entry.Unit).Asset(entry.Kind, entry.State, entry.Online, 1);
            touched.Add(entry.Unit);
        }

        return changed;
    }

    private bool Set(HazardAreaView area, long fed, ISet<string> touched)
    {
        var entry = new AreaEntry(area.Status, string.IsNullOrEmpty(area.Unit) ? NoUnit : area.Unit);
        var changed = true;
        if (_areas.TryGetValue(area.Code, out var known))
        {
            changed = known.Entry != entry;
            if (changed)
            {
                UnitOf(known.Entry.Unit).Area(known.Entry.Status, -1);
                touched.Add(known.Entry.Unit);
            }
        }

        _areas[area.Code] = (entry, fed);
        if (changed)
        {
            UnitOf(entry.Unit).Area(entry.Status, 1);
            touched.Add(entry.Unit);
        }

        return changed;
    }

    /// <summary>The counts of <paramref name="units"/> summed (a unit never seen counts nothing), or with null of the whole cluster.</summary>
    public UnitCounts Count(IReadOnlyCollection<string>? units)
    {
        var sum = new UnitCounts();
        if (units is null)
        {
            foreach (var counts in _units.Values)
            {
                sum.Add(counts);
            }

            return sum;
        }

        foreach (var unit in units)
        {
            if (_units.TryGetValue(unit, out var counts))
            {
                sum.Add(counts);
            }
        }

        return sum;
    }

    /// <summary>Every unit that has (or had) an asset or an area here.</summary>
    public IReadOnlyList<string> Units() => [.. _units.Keys.Where(u => u != NoUnit)];

    private UnitCounts UnitOf(string unit)
    {
        if (!_units.TryGetValue(unit, out var counts))
        {
            _units[unit] = counts = new UnitCounts();
        }

        return counts;
    }

    private readonly record struct AssetEntry(AssetKind Kind, AssetState State, bool Online, string Unit);

    private readonly record struct AreaEntry(HazardAreaStatus Status, string Unit);
}
