using CmacLive.Assets;
using CmacLive.HazardAreas;

namespace CmacLive.Situations;

/// <summary>
/// What one unit (or several, summed) has right now: assets by kind, online assets by reported state, online and offline,
/// hazard areas by status. Kept up to date by <see cref="SituationTally"/>, one change at a time.
/// </summary>
public sealed class UnitCounts
{
    private static readonly int KindCount = Enum.GetValues<AssetKind>().Length;
    private static readonly int StateCount = Enum.GetValues<AssetState>().Length;
    private static readonly int AreaStatusCount = Enum.GetValues<HazardAreaStatus>().Length;

    public int[] ByKind { get; } = new int[KindCount];

    /// <summary>Online assets by the state they last reported (an offline asset's state is stale: it counts in <see cref="Offline"/> only).</summary>
    public int[] ByState { get; } = new int[StateCount];

    public int Online { get; set; }

    public int Offline { get; set; }

    public int[] AreasByStatus { get; } = new int[AreaStatusCount];

    public bool IsEmpty => Online == 0 && Offline == 0 && AreasByStatus.All(n => n == 0);

    /// <summary>Counts an asset in (<paramref name="sign"/> 1) or out (-1).</summary>
    public void Asset(AssetKind kind, AssetState state, bool online, int sign)
    {
        ByKind[(int)kind] += sign;
        if (online)
        {
            ByState[(int)state] += sign;
            Online += sign;
        }
        else
        {
            Offline += sign;
        }
    }

    public void Area(HazardAreaStatus status, int sign) => AreasByStatus[(int)status] += sign;

    public void Add(UnitCounts other)
    {
        Sum(ByKind, other.ByKind);
        Sum(ByState, other.ByState);
        Sum(AreasByStatus, other.AreasByStatus);
        Online += other.Online;
        Offline += other.Offline;
    }

    private static void Sum(int[] into, int[] from)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] += from[i];
        }
    }
}
