namespace CmacLive.Clearance;

/// <summary>A capsule: a segment widened by a radius, with round ends (the ground one pass searches).</summary>
public static class Capsule
{
    /// <summary>Whether (x, y) lies within <paramref name="radius"/> of the segment from a to b.</summary>
    public static bool Contains(double ax, double ay, double bx, double by, double radius, double x, double y)
    {
        var dx = bx - ax;
        var dy = by - ay;
        var lengthSquared = (dx * dx) + (dy * dy);
        var t = lengthSquared > 0 ? Math.Clamp((((x - ax) * dx) + ((y - ay) * dy)) / lengthSquared, 0, 1) : 0;
        var ex = x - (ax + (t * dx));
        var ey = y - (ay + (t * dy));
        return (ex * ex) + (ey * ey) <= radius * radius;
    }

    /// <summary>Where the horizontal line at <paramref name="y"/> crosses the capsule, or null.</summary>
    public static (double Lo, double Hi)? Span(double ax, double ay, double bx, double by, double radius, double y)
    {
        var lo = double.PositiveInfinity;
        var hi = double.NegativeInfinity;
        Disc(ax, ay);
        Disc(bx, by);
        var dx = bx - ax;
        var dy = by - ay;
        var length = Math.Sqrt((dx * dx) + (dy * dy));
        if (length > 0)
        {
            // The band between the two discs: a rectangle; intersect the line with its four edges.
            var nx = -dy / length * radius;
            var ny = dx / length * radius;
            (double X, double Y)[] corners = [(ax + nx, ay + ny), (bx + nx, by + ny), (bx - nx, by - ny), (ax - nx, ay - ny)];
            for (var i = 0; i < 4; i++)
            {
                var (px, py) = corners[i];
                var (qx, qy) = corners[(i + 1) % 4];
                if ((py - y) * (qy - y) > 0)
                {
                    continue;
                }

                if (py == qy)
                {
                    Include(px);
                    Include(qx);
                }
                else
                {
                    Include(px + ((y - py) * (qx - px) / (qy - py)));
                }
            }
        }

        return lo <= hi ? (lo, hi) : null;

        void Disc(double cx, double cy)
        {
            var h = y - cy;
            if (Math.Abs(h) <= radius)
            {
                var w = Math.Sqrt((radius * radius) - (h * h));
                Include(cx - w);
                Include(cx + w);
            }
        }

        void Include(double x)
        {
            lo = Math.Min(lo, x);
            hi = Math.Max(hi, x);
        }
    }
}
