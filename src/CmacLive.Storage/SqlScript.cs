using System.Reflection;

namespace CmacLive.Storage;

/// <summary>The product's SQL, shipped as embedded resources next to the code that runs it.</summary>
internal static class SqlScript
{
    private const string KeyMarker = "-- key: ";

    public static string Load(string name)
    {
        var assembly = typeof(SqlScript).Assembly;
        // Resources are named after their folder: "Sqlite.schema.sql", "Postgres.queries.sql".
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded script {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Splits a file of named queries into (QueryKey, QueryText) pairs at each <c>-- key: Name</c> line.</summary>
    public static IReadOnlyList<(string Key, string Text)> NamedQueries(string name)
    {
        var queries = new List<(string, string)>();
        string? key = null;
        var text = new System.Text.StringBuilder();
        foreach (var line in Load(name).Split('\n'))
        {
            if (line.StartsWith(KeyMarker, StringComparison.Ordinal))
            {
                Flush();
                key = line[KeyMarker.Length..].Trim();
            }
            else if (key is not null)
            {
                text.Append(line.TrimEnd('\r')).Append('\n');
            }
        }

        Flush();
        return queries;

        void Flush()
        {
            if (key is not null)
            {
                queries.Add((key, text.ToString().Trim()));
            }

            text.Clear();
        }
    }

    public static Assembly Assembly => typeof(SqlScript).Assembly;
}
