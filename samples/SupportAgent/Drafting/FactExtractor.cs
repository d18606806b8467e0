using System.Globalization;
using System.Text.RegularExpressions;
using Handoff.Samples.SupportAgent.Classification;

namespace Handoff.Samples.SupportAgent.Drafting;

/// <summary>
/// Reads the facts Handoff's policy needs out of what the customer wrote: sums of money, order numbers, whether the
/// request is medical or legal, whether they ask for a person. Plain patterns on purpose: these facts decide who
/// must look, so they should be predictable and testable, not a model's guess.
/// </summary>
internal static partial class FactExtractor
{
    public static CustomerFacts Extract(Conversation conversation, string intent)
    {
        var texts = conversation.CustomerTexts.ToList();
        var money = texts.SelectMany(Amounts).OrderByDescending(m => m.Amount).FirstOrDefault();
        var orderId = texts.Select(text => OrderNumber().Match(text)).LastOrDefault(m => m.Success)?.Groups["id"].Value;
        var all = string.Join('\n', texts);
        var topic = Medical().IsMatch(all) ? "medical"
            : Legal().IsMatch(all) ? "legal"
            : Intents.Topics.GetValueOrDefault(intent, "other");
        var asksForPerson = intent == "contact_human_agent" || AskForPerson().IsMatch(all);
        return new CustomerFacts(intent, topic, money?.Amount, money?.Currency, orderId, asksForPerson);
    }

    /// <summary>Every sum of money in <paramref name="text"/>: <c>€1,450</c>, <c>1.450,50 EUR</c>, <c>$120</c>, <c>89 euros</c>.</summary>
    public static IEnumerable<Money> Amounts(string text)
    {
        foreach (Match match in MoneyPattern().Matches(text))
        {
            var symbol = match.Groups["before"].Success ? match.Groups["before"].Value : match.Groups["after"].Value;
            var number = match.Groups["number"].Success ? match.Groups["number"].Value : match.Groups["number2"].Value;
            if (ParseAmount(number) is { } amount)
            {
                yield return new Money(amount, Currency(symbol));
            }
        }
    }

    /// <summary>
    /// A written number to a decimal, whichever of <c>,</c> and <c>.</c> separates thousands: the last separator
    /// followed by one or two digits is the decimal point; every other separator groups thousands.
    /// </summary>
    public static decimal? ParseAmount(string written)
    {
        var digits = written.Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        var last = digits.LastIndexOfAny([',', '.']);
        var fraction = "";
        if (last >= 0 && digits.Length - last - 1 is 1 or 2)
        {
            fraction = digits[(last + 1)..];
            digits = digits[..last];
        }

        var whole = digits.Replace(",", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal);
        return decimal.TryParse(fraction.Length == 0 ? whole : $"{whole}.{fraction}", NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    private static string? Currency(string symbol) => symbol.ToUpperInvariant() switch
    {
        "€" or "EUR" or "EURO" or "EUROS" => "EUR",
        "$" or "USD" or "DOLLAR" or "DOLLARS" => "USD",
        "£" or "GBP" or "POUND" or "POUNDS" => "GBP",
        _ => null,
    };

    internal sealed record Money(decimal Amount, string? Currency);

    private const string Number = @"\d{1,3}(?:[,. ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?";

    [GeneratedRegex(@"(?<before>[€$£])\s?(?<number>" + Number + @")|(?<number2>" + Number + @")\s?(?<after>EUR|USD|GBP|euros?|dollars?|pounds?|€)(?![a-z])", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex MoneyPattern();

    // A-20931, B-11872, #B11872, order 4410982: a letter or two with four or more digits, or six or more digits.
    [GeneratedRegex(@"(?<![\w-])#?(?<id>[A-Z]{1,2}-?\d{4,}|\d{6,})(?![\w-])", RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex OrderNumber();

    [GeneratedRegex(@"\b(medical|medicine|medication|doctor|pharmacist|ibuprofen|paracetamol|aspirin|pregnan(t|cy)|breastfeeding|allerg(y|ic|ies)|dosage|dose|side[- ]effects?|symptoms?|prescription|diagnos(is|ed)|blood pressure)\b", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Medical();

    [GeneratedRegex(@"\b(lawyers?|attorneys?|lawsuit|sue|suing|court|legal action|solicitor)\b", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Legal();

    [GeneratedRegex(@"\b((real|actual|live)\s+(person|human|agent|people)|(speak|talk|chat)\s+(to|with)\s+(a\s+|an\s+|some\s+|your\s+)?(human|person|agent|manager|supervisor|representative|someone)|human\s+(agent|being))\b", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex AskForPerson();
}
