using System.Globalization;
using System.Text;

namespace CmacLive.Dispatch;

/// <summary>
/// A reporter's personal data (name and phone) as a caller who may not see it is shown it: masked, keeping only
/// enough to tell two reports apart on a wall screen. Pure; what the API and the hub send a <c>viewer</c>.
/// </summary>
public static class PersonalData
{
    /// <summary>What a masked letter or digit becomes.</summary>
    public const char Mask = '*';

    /// <summary>Fewer digits than this after the country code: every one of them is masked, the last two too.</summary>
    private const int FewestDigitsToKeepTwo = 5;

    /// <summary>
    /// A phone number masked: <c>"+855 12 345 678"</c> becomes <c>"+855 ** *** *78"</c>. The <c>+</c> and the country
    /// code (the 1 to 3 digits after the <c>+</c>, when a separator ends them) stay, and so do the last two digits;
    /// every other digit becomes <c>*</c>, and separators (spaces, <c>-</c>, parentheses) stay where they are. A
    /// number without a <c>+</c>, or whose country code is not set off by a separator (<c>"+85512345678"</c>, where it
    /// cannot be told from the number), keeps only its last two digits. A number of fewer than five digits after the
    /// country code keeps none. Null stays null.
    /// </summary>
    public static string? MaskPhone(string? phone)
    {
        if (string.IsNullOrEmpty(phone))
        {
            return phone;
        }

        var countryCode = CountryCodeLength(phone);
        var digits = 0;
        for (var i = countryCode; i < phone.Length; i++)
        {
            digits += char.IsAsciiDigit(phone[i]) ? 1 : 0;
        }

        var keep = digits >= FewestDigitsToKeepTwo ? 2 : 0;
        var masked = new StringBuilder(phone.Length);
        var seen = 0;
        for (var i = 0; i < phone.Length; i++)
        {
            var c = phone[i];
            if (i < countryCode || !char.IsAsciiDigit(c))
            {
                masked.Append(c);
                continue;
            }

            seen++;
            masked.Append(seen > digits - keep ? c : Mask);
        }

        return masked.ToString();
    }

    /// <summary>
    /// A name masked: each word keeps its first letter and every other letter becomes <c>*</c>, so
    /// <c>"Sok Dara"</c> becomes <c>"S** D***"</c>. Letters are counted as the reader sees them (a Khmer consonant with
    /// its vowel signs is one), words are separated by anything that is not a letter, mark or digit (spaces,
    /// <c>-</c>, <c>'</c>, <c>.</c>), which stays as it is. The shape of the name stays (two words of three and four
    /// letters), its letters do not. Null stays null.
    /// </summary>
    public static string? MaskName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return name;
        }

        var masked = new StringBuilder(name.Length);
        var inWord = false;
        var elements = StringInfo.GetTextElementEnumerator(name);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (!IsWordPart(element))
            {
                masked.Append(element);
                inWord = false;
            }
            else if (!inWord)
            {
                masked.Append(element);
                inWord = true;
            }
            else
            {
                masked.Append(Mask);
            }
        }

        return masked.ToString();
    }

    /// <summary>The report with its reporter's name and phone masked; the same instance when it names no reporter.</summary>
    public static DispatchReport Masked(DispatchReport report) =>
        report.ReporterName is null && report.ReporterPhone is null
            ? report
            : report with { ReporterName = MaskName(report.ReporterName), ReporterPhone = MaskPhone(report.ReporterPhone) };

    /// <summary>
    /// The request as a caller who may not see personal data is sent it (REST answers, the hub's
    /// <c>dispatchUpdated</c>): its report's reporter masked. The same instance when there is nothing to mask.
    /// Nothing else a request view carries names the reporter; summaries (<see cref="DispatchSummary"/>) never do.
    /// </summary>
    public static DispatchRequestView Masked(DispatchRequestView request)
    {
        var report = Masked(request.Report);
        return ReferenceEquals(report, request.Report) ? request : request with { Report = report };
    }

    /// <summary>The report with its reporter's name and phone gone for good (after the retention).</summary>
    public static DispatchReport Erased(DispatchReport report) =>
        report.ReporterName is null && report.ReporterPhone is null
            ? report
            : report with { ReporterName = null, ReporterPhone = null };

    /// <summary>Whether the report names its reporter (a name or a phone).</summary>
    public static bool HasPersonalData(DispatchReport report) => report.ReporterName is not null || report.ReporterPhone is not null;

    /// <summary>The length of the <c>+</c> and the country code, when a separator sets them off; otherwise 0.</summary>
    private static int CountryCodeLength(string phone)
    {
        if (phone[0] != '+')
        {
            return 0;
        }

        var end = 1;
        while (end < phone.Length && char.IsAsciiDigit(phone[end]))
        {
            end++;
        }

        var digits = end - 1;
        return digits is >= 1 and <= 3 && end < phone.Length ? end : 0;
    }

    private static bool IsWordPart(string element) =>
        char.GetUnicodeCategory(element, 0) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
            or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber;
}
