using CmacLive.Assets;
using CmacLive.HazardAreas;

namespace CmacLive.Situations;

/// <summary>
/// The situation's counts, kept incrementally: the last kind, state, liveness and unit of each asset and the last status and
/// unit of each area, with each unit's <see cref="UnitCounts"/> moved by every change, so a count never visits every asset.
/// Not thread-safe: its owner locks. Bounded by the assets and areas of the cluster (one small entry each).
/// </summary>
public sealed class SituationTally
{
    /// <summary>The unit key of an area that names no unit: counted for the whole cluster only.</summary>
    public const string NoUnit = "";

    private readonly Dictionary<string, AssetEntry> _assets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AreaEntry> _areas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitCounts> _units = new(StringComparer.Ordinal);

    public int Assets => _assets.Count;

    public int Areas => _areas.Count;

    /// <summary>
    /// Takes an asset's status; answers whether a count changed, adding the units whose counts changed to
    /// <paramref name="touched"/>. With <paramref name="seed"/>, a status read at start that loses to anything the live feed
    /// already brought (the feed is newer).
    /// </summary>
    public bool Observe(AssetStatus status, ISet<string> touched, bool seed = false)
    {
        var entry = new AssetEntry(status.Kind, status.State, status.Online, status.Unit);
        if (_assets.TryGetValue(status.Id, out var known))
        {
            if (seed || known == entry)
            {
                return false;
            }

            UnitOf(known.Unit).Asset(known.Kind, known.State, known.Online, -1);
            touched.Add(known.Unit);
        }

        _assets[status.Id] = entry;
        UnitOf(entry.Unit).Asset(entry.Kind, entry.State, entry.Online, 1);
        touched.Add(entry.Unit);
        return true;
    }

    /// <summary>Takes an area's view, as <see cref="Observe(AssetStatus, ISet{string}, bool)"/> does an asset's status.</summary>
    public bool Observe(HazardAreaView area, ISet<string> touched, bool seed = false)
    {
        var entry = new AreaEntry(area.Status, string.IsNullOrEmpty(area.Unit) ? NoUnit : area.Unit);
        if (_areas.TryGetValue(area.Code, out var known))
        {
            if (seed || known == entry)
            {
                return false;
            }

            UnitOf(known.Unit).Area(known.Status, -1);
            touched.Add(known.Unit);
        }

        _areas[area.Code] = entry;
        UnitOf(entry.Unit).Area(entry.Status, 1);
        touched.Add(entry.Unit);
        return true;
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
