using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmacLive;

/// <summary>
/// The contract's name of each enum value, said in one place: its <see cref="JsonStringEnumMemberNameAttribute"/> where it
/// has one, otherwise the member's name in camelCase, exactly as the JSON converter writes it. Every enum that reaches the
/// wire (payloads, routes' answers, counters' keys, history) is named through this, never by a switch or by lower-casing.
/// </summary>
public static class WireNames
{
    /// <summary>The wire name of <paramref name="value"/>; throws for a number that is not a member.</summary>
    public static string Of<T>(T value)
        where T : struct, Enum =>
        Names<T>.ByValue.TryGetValue(value, out var name)
            ? name
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value} is not a {typeof(T).Name}");

    /// <summary>The member named <paramref name="name"/> on the wire (exactly, as written by <see cref="Of{T}"/>).</summary>
    public static bool TryParse<T>(string? name, out T value)
        where T : struct, Enum
    {
        value = default;
        return name is not null && Names<T>.ByName.TryGetValue(name, out value);
    }

    /// <summary>The members by wire name, in the order they are declared (for reading a choice and naming the choices).</summary>
    public static IReadOnlyDictionary<string, T> Choices<T>()
        where T : struct, Enum => Names<T>.Choices;

    // Built once per enum type from its metadata, and never changed.
    private static class Names<T>
        where T : struct, Enum
    {
        public static readonly FrozenDictionary<T, string> ByValue;
        public static readonly FrozenDictionary<string, T> ByName;
        public static readonly IReadOnlyDictionary<string, T> Choices;

#pragma warning disable CA1810 // the three tables come from one pass over the members
        static Names()
#pragma warning restore CA1810
        {
            var members = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => ((T)f.GetValue(null)!, f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(f.Name)))
                .ToList();
            ByValue = members.ToFrozenDictionary(m => m.Item1, m => m.Item2);
            ByName = members.ToFrozenDictionary(m => m.Item2, m => m.Item1, StringComparer.Ordinal);
            Choices = new System.Collections.ObjectModel.ReadOnlyDictionary<string, T>(
                new OrderedDictionary<string, T>(members.Select(m => KeyValuePair.Create(m.Item2, m.Item1)), StringComparer.Ordinal));
        }
    }
}
