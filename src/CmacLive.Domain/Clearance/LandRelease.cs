using System.Globalization;
using CmacLive.HazardAreas;

namespace CmacLive.Clearance;

/// <summary>
/// The IMAS land-release steps an area may take: a suspected area is confirmed by survey or cancelled
/// (released) by non-technical survey; a confirmed area goes into clearance or is released by technical
/// survey; an area in clearance is released. A released area is final. Release states its outcome in m².
/// </summary>
public static class LandRelease
{
    /// <summary>How much the released square metres may exceed the area's own (rounding and projection).</summary>
    public const double Tolerance = 0.01;

    public static bool Allows(HazardAreaStatus from, HazardAreaStatus to) => (from, to) switch
    {
        (HazardAreaStatus.Suspected, HazardAreaStatus.Confirmed) => true,
        (HazardAreaStatus.Suspected, HazardAreaStatus.Released) => true,
        (HazardAreaStatus.Confirmed, HazardAreaStatus.InClearance) => true,
        (HazardAreaStatus.Confirmed, HazardAreaStatus.Released) => true,
        (HazardAreaStatus.InClearance, HazardAreaStatus.Released) => true,
        _ => false,
    };

    /// <summary>Why an outcome does not fit the step, or null when it does.</summary>
    public static string? OutcomeProblem(HazardAreaStatus to, LandReleaseOutcome? outcome, double areaM2)
    {
        if (to != HazardAreaStatus.Released)
        {
            return outcome is null ? null : "an outcome is given only when the area is released";
        }

        if (outcome is null)
        {
            return "releasing an area needs its outcome: cancelledM2, reducedM2 and/or clearedM2";
        }

        double[] parts = [outcome.CancelledM2, outcome.ReducedM2, outcome.ClearedM2];
        if (parts.Any(p => !double.IsFinite(p) || p < 0))
        {
            return "outcome figures must be zero or more square metres";
        }

        if (outcome.ReleasedM2 <= 0)
        {
            return "the outcome releases no land";
        }

        return outcome.ReleasedM2 > areaM2 * (1 + Tolerance)
            ? string.Create(CultureInfo.InvariantCulture, $"the outcome releases {outcome.ReleasedM2:0.#} m², more than the area's {areaM2:0.#} m²")
            : null;
    }

}
