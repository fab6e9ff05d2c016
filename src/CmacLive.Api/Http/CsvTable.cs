using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CmacLive.Api.Http;

/// <summary>
/// The one way the API writes CSV (RFC 4180): a header, then rows of as many cells; a cell with a comma, a quote or a line
/// break is quoted, and one that a spreadsheet would take for a formula (<c>= + - @</c>, tab, return) starts with
/// <c>'</c>. Numbers are written invariantly, to three decimals at most; a missing number is an empty cell.
/// </summary>
public sealed class CsvTable
{
    private readonly StringBuilder _text = new();
    private readonly int _columns;

    public CsvTable(IReadOnlyList<string> header)
    {
        _columns = header.Count;
        Append(header);
    }

    /// <summary>Adds a row; it must have a cell for every column.</summary>
    public CsvTable Row(IReadOnlyList<string> cells)
    {
        if (cells.Count != _columns)
        {
            throw new ArgumentException($"a row of {cells.Count} cells in a table of {_columns} columns", nameof(cells));
        }

        Append(cells);
        return this;
    }

    public static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";

    /// <summary>The table as a <c>text/csv</c> answer.</summary>
    public IResult ToResult() => Results.Text(_text.ToString(), "text/csv", Encoding.UTF8);

    public override string ToString() => _text.ToString();

    private void Append(IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                _text.Append(',');
            }

            _text.Append(Cell(cells[i]));
        }

        _text.Append("\r\n");
    }

    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
