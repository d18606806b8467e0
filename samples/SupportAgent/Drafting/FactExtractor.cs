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
    /// <summary>The facts of <paramref name="conversation"/>, whose intent the drafter took to be <paramref name="intent"/> with <paramref name="confidence"/>.</summary>
    public static CustomerFacts Extract(Conversation conversation, string intent, double confidence)
    {
        var texts = conversation.CustomerTexts.ToList();
        var amounts = texts.SelectMany(Amounts).ToList();

        // The largest sum decides who must look (a 1,450 machine with a 30 fee is a 1,450 case); whether there was
        // more than one tells the playbook not to guess which of them the customer wants back.
        var money = amounts.OrderByDescending(m => m.Amount).FirstOrDefault();
        var orderId = texts.Select(OrderId).LastOrDefault(id => id is not null);
        var all = string.Join('\n', texts);
        var topic = Medical().IsMatch(all) ? "medical"
            : Legal().IsMatch(all) ? "legal"
            : Intents.Topics.GetValueOrDefault(intent, "other");
        // The intent says so only when the classifier is sure of it: an unsure guess at contact_human_agent is still
        // handed over (the play's kind), but the customer did not ask for a person and the policy must not read that.
        var asksForPerson = AskForPerson().IsMatch(all) || (intent == "contact_human_agent" && confidence >= Evaluation.ConfidentAt);
        return new CustomerFacts(intent, topic, money?.Amount, money?.Currency, orderId, asksForPerson)
        {
            SeveralAmounts = amounts.Select(m => m.Amount).Distinct().Count() > 1,
        };
    }

    /// <summary>
    /// Every sum of money in <paramref name="text"/>: <c>€1,450</c>, <c>EUR 1.450,50</c>, <c>USD2300</c>,
    /// <c>CHF 1'450</c>, <c>5 000 zł</c>, <c>1,450.- EUR</c>, <c>€2.3k</c>, <c>89 euros</c>. A number without a
    /// currency is not money: it may be an order, a phone number, a quantity.
    /// </summary>
    public static IEnumerable<Money> Amounts(string text)
    {
        foreach (Match match in MoneyPattern().Matches(text))
        {
            var before = match.Groups["before"];
            var symbol = before.Success ? before.Value : match.Groups["after"].Value;
            var number = before.Success ? match.Groups["number"].Value : match.Groups["number2"].Value;
            var thousands = (before.Success ? match.Groups["k"] : match.Groups["k2"]).Success;
            if (ParseAmount(number) is { } amount)
            {
                yield return new Money(thousands ? amount * 1000 : amount, Currency(symbol));
            }
        }
    }

    /// <summary>
    /// A written number to a decimal, whichever of <c>,</c> and <c>.</c> separates thousands: the last separator
    /// followed by one or two digits is the decimal point; every other separator (and spaces and apostrophes) groups
    /// thousands.
    /// </summary>
    public static decimal? ParseAmount(string written)
    {
        var digits = new string([.. written.Where(c => c is not (' ' or '\u00A0' or '\'' or '\u2019'))]);
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

    /// <summary>
    /// The order number in <paramref name="text"/>: one that looks like ours anywhere (<c>A-20931</c>,
    /// <c>#B11872</c>), or a long bare number only where the customer calls it an order (<c>order 4410982</c>,
    /// <c>order no. 4410982</c>, <c>#4410982</c>), never any run of digits: phone numbers and postcodes are not orders.
    /// </summary>
    public static string? OrderId(string text) =>
        OrderNumber().Match(text) is { Success: true } match ? match.Groups["id"].Value
        : BareOrderNumber().Match(text) is { Success: true } bare ? bare.Groups["id"].Value
        : null;

    private static string? Currency(string symbol) => symbol.ToUpperInvariant() switch
    {
        "€" or "EUR" or "EURO" or "EUROS" => "EUR",
        "$" or "USD" or "DOLLAR" or "DOLLARS" => "USD",
        "£" or "GBP" or "POUND" or "POUNDS" => "GBP",
        "CHF" or "FRANC" or "FRANCS" => "CHF",
        "PLN" or "ZŁ" => "PLN",
        "SEK" or "DKK" or "NOK" or "CZK" => symbol.ToUpperInvariant(),
        _ => null, // "kr" alone: Swedish, Danish or Norwegian
    };

    internal sealed record Money(decimal Amount, string? Currency);

    private const string Number = @"(?<![\d,.])(?:\d{1,3}(?:[,.' ’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)";
    private const string Codes = "EUR|USD|GBP|CHF|PLN|SEK|DKK|NOK|CZK";

    [GeneratedRegex(
        @"(?<before>[€$£]|(?<![a-z])(?:" + Codes + @")(?![a-z]))\s?(?<number>" + Number + @")(?<k>k(?![a-z]))?"
        + @"|(?<number2>" + Number + @")(?<k2>k(?![a-z]))?(?:[.,]-)?\s?(?<after>(?:" + Codes + @"|euros?|dollars?|pounds?|francs?|zł|kr)(?![a-z])|€)",
        RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex MoneyPattern();

    [GeneratedRegex(@"(?<![\w-])#?(?<id>[A-Z]{1,2}-?\d{4,})(?![\w-])", RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex OrderNumber();

    [GeneratedRegex(@"(\border\b\s*(number|no\.?|nr\.?|id|is|was|:|#|\s)*|#)\s*(?<id>\d{6,})(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex BareOrderNumber();

    [GeneratedRegex(@"\b(medical|medicine|medication|doctor|pharmacist|ibuprofen|paracetamol|aspirin|pregnan(t|cy)|breastfeeding|allerg(y|ic|ies)|dosage|side[- ]effects?|symptoms?|prescription|diagnos(is|ed)|blood pressure)\b", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Medical();

    // "sue" and "court" alone would be a name ("Regards, Sue") or a tennis court: only as a threat.
    [GeneratedRegex(@"\b(lawyers?|attorneys?|lawsuit|legal action|solicitors?|suing|sue (you|your|the|them|northwind)|small[- ]claims|(take|taking) (you|this|it|them) to court)\b", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex Legal();

    // Not when the customer says they do not want one ("I don't need to talk to a human").
    [GeneratedRegex(@"(?<!\b(don'?t|do not|no need to|not|never)\s+(\w+\s+){0,6})\b((real|actual|live)\s+(person|human|agent|people)|(speak|talk|chat)\s+(to|with)\s+(a\s+|an\s+|some\s+|your\s+)?(human|person|agent|manager|supervisor|representative|someone)|human\s+(agent|being))\b", RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture, 1000)]
    private static partial Regex AskForPerson();
}
