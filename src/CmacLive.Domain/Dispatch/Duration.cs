namespace CmacLive.Dispatch;

/// <summary>How long a step took over the requests that reached it: how many, median, 90th percentile, mean (minutes).</summary>
public sealed record Duration(int Count, double? MedianMinutes, double? P90Minutes, double? MeanMinutes)
{
    public static Duration Of(IEnumerable<TimeSpan> spans)
    {
        var minutes = spans.Select(s => s.TotalMinutes).Order().ToArray();
        if (minutes.Length == 0)
        {
            return new Duration(0, null, null, null);
        }

        return new Duration(minutes.Length, Round(Percentile(minutes, 0.5)), Round(Percentile(minutes, 0.9)), Round(minutes.Average()));
    }

    /// <summary>Linear interpolation between closest ranks, over sorted values.</summary>
    private static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    private static double Round(double value) => Math.Round(value, 1);
}
