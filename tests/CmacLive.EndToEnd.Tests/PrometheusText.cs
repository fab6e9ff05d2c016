using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4): <c># HELP</c> and <c># TYPE</c> lines, samples
/// <c>name{label="value",…} value [timestamp]</c> with label values escaped (<c>\\</c>, <c>\"</c>, <c>\n</c>). Every line must
/// parse, every sample must belong to a family whose TYPE came before it, and a histogram's buckets must be cumulative
/// and end in <c>+Inf</c> equal to its count; otherwise it throws <see cref="FormatException"/> naming the line.
/// </summary>
public sealed partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);

    public List<Sample> Samples { get; } = [];

    /// <summary>The sum of the samples of that name whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                parsed.Read(line);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"line {i + 1} '{line}': {ex.Message}", ex);
            }
        }

        parsed.CheckHistograms();
        return parsed;
    }

    private void Read(string line)
    {
        if (line.StartsWith("# HELP ", StringComparison.Ordinal))
        {
            var rest = line[7..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? rest : rest[..space];
            CheckName(name);
            var doc = space < 0 ? "" : rest[(space + 1)..];
            for (var i = 0; i < doc.Length; i++)
            {
                if (doc[i] == '\\' && (++i == doc.Length || doc[i] is not ('\\' or 'n')))
                {
                    throw new FormatException("HELP may escape only \\\\ and \\n");
                }
            }

            if (!Help.TryAdd(name, doc))
            {
                throw new FormatException($"a second HELP for {name}");
            }

            return;
        }

        if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
        {
            var parts = line[7..].Split(' ');
            if (parts.Length != 2 || parts[1] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
            {
                throw new FormatException("TYPE needs a name and one of counter, gauge, histogram, summary, untyped");
            }

            CheckName(parts[0]);
            if (Samples.Any(s => FamilyOf(s.Name) == parts[0]) || !Types.TryAdd(parts[0], parts[1]))
            {
                throw new FormatException($"TYPE of {parts[0]} after its samples or twice");
            }

            return;
        }

        if (line.StartsWith('#'))
        {
            return; // another comment
        }

        var sample = ReadSample(line);
        if (FamilyOf(sample.Name) is null)
        {
            throw new FormatException($"sample {sample.Name} of no family declared by a TYPE line before it");
        }

        Samples.Add(sample);
    }

    /// <summary>The declared family a sample name belongs to, if any.</summary>
    private string? FamilyOf(string name)
    {
        if (Types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && Types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private static Sample ReadSample(string line)
    {
        var at = 0;
        while (at < line.Length && line[at] is not ('{' or ' '))
        {
            at++;
        }

        var name = line[..at];
        CheckName(name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (at < line.Length && line[at] == '{')
        {
            at++;
            while (line[at] != '}')
            {
                var eq = line.IndexOf('=', at);
                var key = line[at..eq];
                if (!LabelName().IsMatch(key))
                {
                    throw new FormatException($"bad label name '{key}'");
                }

                if (line[eq + 1] != '"')
                {
                    throw new FormatException("label value not quoted");
                }

                var value = new StringBuilder();
                at = eq + 2;
                while (line[at] != '"')
                {
                    if (line[at] == '\\')
                    {
                        at++;
                        value.Append(line[at] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var c => throw new FormatException($"bad escape \\{c} in a label value"),
                        });
                    }
                    else
                    {
                        value.Append(line[at]);
                    }

                    at++;
                }

                if (!labels.TryAdd(key, value.ToString()))
                {
                    throw new FormatException($"label {key} twice");
                }

                at++;
                if (line[at] == ',')
                {
                    at++;
                }
                else if (line[at] != '}')
                {
                    throw new FormatException("labels not separated by commas");
                }
            }

            at++;
        }

        var rest = line[at..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (line[at] != ' ' || rest.Length is < 1 or > 2)
        {
            throw new FormatException("a sample is a name, labels, a value and an optional timestamp");
        }

        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"bad timestamp '{rest[1]}'");
        }

        return new Sample(name, labels, Value(rest[0]));
    }

    private static double Value(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new FormatException($"bad value '{text}'"),
    };

    private static void CheckName(string name)
    {
        if (!MetricName().IsMatch(name))
        {
            throw new FormatException($"bad metric name '{name}'");
        }
    }

    private void CheckHistograms()
    {
        foreach (var family in Types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var series = Samples.Where(s => s.Name == family + "_bucket")
                .GroupBy(s => string.Join(',', s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")));
            foreach (var buckets in series)
            {
                var ordered = buckets.OrderBy(b => Value(b.Labels["le"])).ToList();
                if (ordered[^1].Labels["le"] != "+Inf")
                {
                    throw new FormatException($"{family}{{{buckets.Key}}} has no +Inf bucket");
                }

                if (ordered.Zip(ordered.Skip(1)).Any(p => p.Second.Value < p.First.Value))
                {
                    throw new FormatException($"{family}{{{buckets.Key}}} buckets are not cumulative");
                }

                var count = Samples.Single(s => s.Name == family + "_count"
                    && string.Join(',', s.Labels.OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")) == buckets.Key);
                if (count.Value != ordered[^1].Value)
                {
                    throw new FormatException($"{family}{{{buckets.Key}}}: +Inf bucket {ordered[^1].Value} is not the count {count.Value}");
                }
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
