using System.Text.Json;

namespace CmacLive.Validation;

/// <summary>
/// What a JSON body or payload must be beyond well-formed: no member twice in one object (parsers disagree on which
/// one wins, so what a handler, the audit trail and a later reader see could differ), text that is Unicode (no lone
/// surrogates, no broken UTF-8), no control characters in text but tab, line feed and carriage return, and numbers
/// that fit a double. Read with the document's own depth limit; answers the first problem with the path of its member
/// (<c>properties.name</c>, <c>units[2]</c>), so an answer can name the field.
/// </summary>
public static class JsonBodyCheck
{
    /// <summary>The member at <paramref name="Path"/> (<c>body</c> for the whole) and what is wrong with it.</summary>
    public readonly record struct Problem(string Path, string Message);

    public static Problem? Find(JsonElement root) =>
        Walk(root) is { } problem ? problem with { Path = problem.Path.Length == 0 ? "body" : problem.Path.TrimStart('.') } : null;

    /// <summary>True when the text holds a control character other than tab, line feed or carriage return.</summary>
    public static bool HasControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The problem of this element with its path relative to it (<c>.name</c>, <c>[2]</c>; empty: the element itself).</summary>
    private static Problem? Walk(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? names = null;
                foreach (var member in element.EnumerateObject())
                {
                    if (Name(member) is not { } name)
                    {
                        return new("", "has a member name that is not valid Unicode text");
                    }

                    if (HasControl(name))
                    {
                        return new("", "has a member name with control characters");
                    }

                    if (!(names ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                    {
                        return new("." + name, "is sent more than once");
                    }

                    if (Walk(member.Value) is { } inner)
                    {
                        return inner with { Path = "." + name + inner.Path };
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item) is { } inner)
                    {
                        return inner with { Path = $"[{index}]{inner.Path}" };
                    }

                    index++;
                }

                return null;
            case JsonValueKind.String:
                return Text(element) switch
                {
                    null => new("", "is not valid Unicode text"),
                    { } text when HasControl(text) => new("", "must not contain control characters"),
                    _ => null,
                };
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) && double.IsFinite(number) ? null : new("", "is a number too large to hold");
            default:
                return null;
        }
    }

    /// <summary>A member's name, or null when it is not valid text (the reader unescapes it when asked).</summary>
    private static string? Name(JsonProperty member)
    {
        try
        {
            return member.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A string's text, or null when it is not valid text.</summary>
    private static string? Text(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
