using Handoff.Core.Cases;
using Handoff.Core.Policy;
using static Handoff.Core.Tests.Policy.PolicyTesting;

namespace Handoff.Core.Tests.Policy;

/// <summary>Every operator, through a real compiled policy, including missing fields and type mismatches.</summary>
public sealed class ConditionsTests
{
    [Theory]
    [InlineData("""{"amount": 1000}""", true)]
    [InlineData("""{"amount": 1000.0}""", true)]
    [InlineData("""{"amount": 999}""", false)]
    [InlineData("""{"amount": "1000"}""", false)]
    [InlineData("""{}""", false)]
    public void Evaluate_WhenEqNumber_ComparesNumerically(string facts, bool expected) =>
        Assert.Equal(expected, Fires("facts.amount: { eq: 1000 }", Case(facts)));

    [Theory]
    [InlineData("gold", true)]
    [InlineData("Gold", false)]
    [InlineData("golden", false)]
    public void Evaluate_WhenEqString_IsOrdinalAndCaseSensitive(string tier, bool expected) =>
        Assert.Equal(expected, Fires("subject.tier: { eq: gold }", Case(subject: $$"""{"tier": "{{tier}}"}""")));

    [Fact]
    public void Evaluate_WhenEqQuotedNumber_MatchesOnlyTheString()
    {
        Assert.True(Fires("""facts.code: { eq: "42" }""", Case("""{"code": "42"}""")));
        Assert.False(Fires("""facts.code: { eq: "42" }""", Case("""{"code": 42}""")));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", false)]
    public void Evaluate_WhenEqBoolean_ComparesBooleansOnly(string returning, bool expected) =>
        Assert.Equal(expected, Fires("subject.returning: { eq: true }", Case(subject: $$"""{"returning": {{returning}}}""")));

    [Fact]
    public void Evaluate_WhenShorthandValue_MeansEq()
    {
        Assert.True(Fires("channel: email", Case(channel: "email")));
        Assert.False(Fires("channel: email", Case(channel: "chat")));
    }

    [Theory]
    [InlineData("""{"country": "FR"}""", true)]
    [InlineData("""{"country": "DE"}""", false)]
    [InlineData("""{"country": null}""", true)]
    [InlineData("""{}""", true)]
    public void Evaluate_WhenNe_MatchesDifferentAndMissing(string facts, bool expected) =>
        Assert.Equal(expected, Fires("facts.country: { ne: DE }", Case(facts)));

    [Theory]
    [InlineData("gt", 1000, false)]
    [InlineData("gt", 1001, true)]
    [InlineData("gte", 1000, true)]
    [InlineData("gte", 999.5, false)]
    [InlineData("lt", 1000, false)]
    [InlineData("lt", 999.99, true)]
    [InlineData("lte", 1000, true)]
    [InlineData("lte", 1000.01, false)]
    public void Evaluate_WhenComparing_RespectsTheBoundary(string op, double amount, bool expected) =>
        Assert.Equal(expected, Fires($"facts.amount: {{ {op}: 1000 }}", Case($$"""{"amount": {{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""")));

    [Theory]
    [InlineData("""{"amount": "5000"}""", true)]
    [InlineData("""{"amount": "5000.5"}""", true)]
    [InlineData("""{"amount": "500"}""", false)]
    [InlineData("""{"amount": "1e400"}""", true)]
    public void Evaluate_WhenComparingANumericString_ComparesItsNumber(string facts, bool expected) =>
        Assert.Equal(expected, Fires("facts.amount: { gt: 1000 }", Case(facts)));

    [Theory]
    [InlineData("""{"amount": 1e400}""", true)]
    [InlineData("""{"amount": -1e400}""", false)]
    public void Evaluate_WhenComparingANumberBeyondDoubleRange_ComparesItAsInfinity(string facts, bool expected) =>
        Assert.Equal(expected, Fires("facts.amount: { gt: 1000 }", Case(facts)));

    [Theory]
    [InlineData("""{"amount": null}""")]
    [InlineData("""{}""")]
    public void Evaluate_WhenComparingAMissingValue_DoesNotMatch(string facts)
    {
        Assert.False(Fires("facts.amount: { gt: 1 }", Case(facts)));
        Assert.False(Fires("facts.amount: { lte: 1 }", Case(facts)));
        Assert.Null(Failure("facts.amount: { gt: 1 }", Case(facts)));
    }

    // Present but not a number: answering false would let "5,000 EUR" past a "gt: 1000" rule, so it fails closed.
    [Theory]
    [InlineData("""{"amount": "lots"}""", "text that is not a number")]
    [InlineData("""{"amount": "5,000"}""", "text that is not a number")]
    [InlineData("""{"amount": "NaN"}""", "text that is not a number")]
    [InlineData("""{"amount": true}""", "a boolean")]
    [InlineData("""{"amount": [5000]}""", "a list")]
    [InlineData("""{"amount": {"value": 5000}}""", "an object")]
    public void Evaluate_WhenComparingAValueThatIsNotANumber_FailsClosed(string facts, string got)
    {
        Assert.Equal($"'gt' needs a number at facts.amount, got {got}", Failure("facts.amount: { gt: 1 }", Case(facts)));
        Assert.Equal($"'lte' needs a number at facts.amount, got {got}", Failure("not: { facts.amount: { lte: 1 } }", Case(facts)));
    }

    [Theory]
    [InlineData("""{"topic": "medical"}""", true)]
    [InlineData("""{"topic": "legal"}""", true)]
    [InlineData("""{"topic": "Medical"}""", false)]
    [InlineData("""{"topic": "billing"}""", false)]
    [InlineData("""{}""", false)]
    public void Evaluate_WhenIn_MatchesAnyListedString(string facts, bool expected) =>
        Assert.Equal(expected, Fires("facts.topic: { in: [medical, legal] }", Case(facts)));

    [Theory]
    [InlineData("""{"topic": "billing"}""", true)]
    [InlineData("""{"topic": "legal"}""", false)]
    [InlineData("""{}""", true)]
    public void Evaluate_WhenNotIn_MatchesUnlistedAndMissing(string facts, bool expected) =>
        Assert.Equal(expected, Fires("facts.topic: { notIn: [medical, legal] }", Case(facts)));

    [Fact]
    public void Evaluate_WhenInMixedList_ComparesEachByType()
    {
        const string When = """facts.code: { in: [7, "x", true] }""";
        Assert.True(Fires(When, Case("""{"code": 7}""")));
        Assert.True(Fires(When, Case("""{"code": "x"}""")));
        Assert.True(Fires(When, Case("""{"code": true}""")));
        Assert.False(Fires(When, Case("""{"code": "7"}""")));
    }

    [Theory]
    [InlineData("Please REFUND my order", true)]
    [InlineData("refunded already", true)]
    [InlineData("nothing to see", false)]
    public void Evaluate_WhenContainsOnString_IsCaseInsensitiveSubstring(string summary, bool expected) =>
        Assert.Equal(expected, Fires("summary: { contains: refund }", Case(summary: summary)));

    [Theory]
    [InlineData("""{"tags": ["vip", "churn-risk"]}""", true)]
    [InlineData("""{"tags": ["VIP"]}""", false)]
    [InlineData("""{"tags": []}""", false)]
    [InlineData("""{"tags": "vip"}""", true)]
    [InlineData("""{}""", false)]
    public void Evaluate_WhenContainsOnArray_MatchesAnEqualElement(string facts, bool expected) =>
        Assert.Equal(expected, Fires("facts.tags: { contains: vip }", Case(facts)));

    [Theory]
    [InlineData("""{"tags": 5}""", "a number")]
    [InlineData("""{"tags": true}""", "a boolean")]
    [InlineData("""{"tags": {"vip": true}}""", "an object")]
    public void Evaluate_WhenContainsOnWhatIsNeitherTextNorAList_FailsClosed(string facts, string got) =>
        Assert.Equal($"'contains' needs text or a list at facts.tags, got {got}", Failure("facts.tags: { contains: vip }", Case(facts)));

    [Fact]
    public void Evaluate_WhenContainsANumberOnText_FailsClosed() =>
        Assert.Equal(
            "'contains' with a number searches lists, and summary is text (quote the value to search the text)",
            Failure("summary: { contains: 2024 }", Case(summary: "Order from 2024")));

    [Fact]
    public void Evaluate_WhenContainsNumberOnArray_ComparesNumerically() =>
        Assert.True(Fires("facts.codes: { contains: 3 }", Case("""{"codes": [1, 3.0]}""")));

    [Theory]
    [InlineData("I will call my LAWYER tomorrow", true)]
    [InlineData("my lawyer.", true)]
    [InlineData("lawyers are expensive", false)]
    [InlineData("the unlawyerly thing", false)]
    [InlineData("file a   class action", true)]
    [InlineData("class actions", false)]
    public void Evaluate_WhenMentions_MatchesWholeWordsAndPhrasesIgnoringCase(string summary, bool expected) =>
        Assert.Equal(expected, Fires("summary: { mentions: [lawyer, class action] }", Case(summary: summary)));

    // What a person reads as "lawyer" is a mention, whatever invisible or compatibility characters spell it.
    [Theory]
    [InlineData("my law\u00ADyer", true)]
    [InlineData("my law\u200Byer", true)]
    [InlineData("my \uFF4C\uFF41\uFF57\uFF59\uFF45\uFF52.", true)]
    [InlineData("my \uFF2C\uFF21\uFF37\uFF39\uFF25\uFF32", true)]
    [InlineData("my law yer", false)]
    [InlineData("my law\u00ADyers", false)]
    public void Evaluate_WhenMentionsIsSpelledWithInvisibleOrFullWidthCharacters_StillMatches(string summary, bool expected) =>
        Assert.Equal(expected, Fires("summary: { mentions: [lawyer] }", Case(summary: summary)));

    [Fact]
    public void Evaluate_WhenAMentionsEntryIsFullWidth_MatchesPlainText() =>
        Assert.True(Fires("summary: { mentions: [\uFF4C\uFF41\uFF57\uFF59\uFF45\uFF52] }", Case(summary: "my lawyer")));

    [Theory]
    [InlineData("we use c++ here", true)]
    [InlineData("we use c here", false)]
    public void Evaluate_WhenMentionsEndsInPunctuation_StillMatchesTheWord(string summary, bool expected) =>
        Assert.Equal(expected, Fires("summary: { mentions: [c++] }", Case(summary: summary)));

    [Fact]
    public void Evaluate_WhenMentionsSingleWord_AcceptsAScalar() =>
        Assert.True(Fires("summary: { mentions: refund }", Case(summary: "A refund, please")));

    [Fact]
    public void Evaluate_WhenMentionsOnAMissingValue_DoesNotMatch()
    {
        Assert.False(Fires("facts.note: { mentions: [x] }", Case("""{}""")));
        Assert.Null(Failure("facts.note: { mentions: [x] }", Case("""{}""")));
    }

    [Theory]
    [InlineData("mentions: [x]", "mentions")]
    [InlineData("matches: x", "matches")]
    public void Evaluate_WhenPatternOnWhatIsNotText_FailsClosed(string condition, string op) =>
        Assert.Equal($"'{op}' needs text at facts.note, got a list", Failure($"facts.note: {{ {condition} }}", Case("""{"note": ["x"]}""")));

    [Theory]
    [InlineData("ORD-12345", true)]
    [InlineData("ord-12345", false)]
    [InlineData("ORD-12", false)]
    public void Evaluate_WhenMatches_UsesTheRegexCaseSensitively(string order, bool expected) =>
        Assert.Equal(expected, Fires("""facts.order: { matches: '^ORD-\d{5}$' }""", Case($$"""{"order": "{{order}}"}""")));

    [Fact]
    public void Evaluate_WhenMatchesWithInlineIgnoreCase_IgnoresCase() =>
        Assert.True(Fires("""facts.order: { matches: '(?i)^ord-\d+$' }""", Case("""{"order": "ORD-1"}""")));

    [Theory]
    [InlineData("""{"coupon": "X"}""", true)]
    [InlineData("""{"coupon": ""}""", true)]
    [InlineData("""{"coupon": {}}""", true)]
    [InlineData("""{"coupon": null}""", false)]
    [InlineData("""{}""", false)]
    public void Evaluate_WhenExists_TreatsNullAsMissing(string facts, bool present)
    {
        Assert.Equal(present, Fires("facts.coupon: { exists: true }", Case(facts)));
        Assert.Equal(!present, Fires("facts.coupon: { exists: false }", Case(facts)));
    }

    [Fact]
    public void Evaluate_WhenFactsAbsentAltogether_FieldIsMissing()
    {
        var content = Case();
        Assert.True(Fires("facts.amount: { exists: false }", content));
        Assert.False(Fires("facts.amount: { eq: 1 }", content));
        Assert.True(Fires("facts.amount: { ne: 1 }", content));
    }

    [Fact]
    public void Evaluate_WhenNestedPath_WalksObjectsAndArrayIndexes()
    {
        var content = Case("""{"order": {"total": 1200, "lines": [{"sku": "A"}, {"sku": "B"}]}}""");
        Assert.True(Fires("facts.order.total: { gt: 1000 }", content));
        Assert.True(Fires("facts.order.lines.1.sku: { eq: B }", content));
        Assert.False(Fires("facts.order.lines.2.sku: { exists: true }", content));
        Assert.False(Fires("facts.order.total.x: { exists: true }", content));
    }

    [Theory]
    [InlineData(CaseKind.Reply, "reply")]
    [InlineData(CaseKind.Action, "action")]
    [InlineData(CaseKind.Question, "question")]
    [InlineData(CaseKind.Handoff, "handoff")]
    public void Evaluate_WhenKind_ComparesTheCamelCaseName(CaseKind kind, string name)
    {
        Assert.True(Fires($"kind: {{ eq: {name} }}", Case(kind: kind)));
        Assert.False(Fires($"kind: {{ ne: {name} }}", Case(kind: kind)));
    }

    [Fact]
    public void Evaluate_WhenProposalFields_ReadsTheProposal()
    {
        var content = Case(confidence: 0.9, proposalText: "Refund issued", actionName: "issue_refund", arguments: """{"amount": 50, "currency": "EUR"}""");
        Assert.True(Fires("proposal.confidence: { gte: 0.9 }", content));
        Assert.True(Fires("proposal.text: { contains: refund }", content));
        Assert.True(Fires("proposal.action.name: issue_refund", content));
        Assert.True(Fires("proposal.action.arguments.amount: { lt: 100 }", content));
        Assert.True(Fires("proposal.action: { exists: true }", content));
        Assert.False(Fires("proposal.action.arguments.missing: { exists: true }", content));
    }

    [Fact]
    public void Evaluate_WhenNoProposal_ProposalFieldsAreMissing()
    {
        var content = Case(summary: "hello");
        Assert.True(Fires("proposal: { exists: false }", content));
        Assert.True(Fires("proposal.action.name: { exists: false }", content));
        Assert.False(Fires("proposal.confidence: { lt: 1 }", content));
    }

    [Fact]
    public void Evaluate_WhenSignals_ReadsSignals() =>
        Assert.True(Fires("signals.sentiment: { lt: -0.5 }", Case(signals: """{"sentiment": -0.8}""")));

    [Fact]
    public void Evaluate_WhenText_SearchesSummaryConversationAndProposalText()
    {
        const string When = "text: { mentions: [attorney] }";
        Assert.True(Fires(When, Case(summary: "Attorney question")));
        Assert.True(Fires(When, Case(summary: "Question", conversation: ["hi", "my attorney says no"])));
        Assert.True(Fires(When, Case(proposalText: "Please ask your attorney.")));
        Assert.False(Fires(When, Case(summary: "Question", conversation: ["attorneys"], proposalText: "no")));
    }

    [Fact]
    public void Evaluate_WhenTextPartsAdjoin_DoesNotJoinWordsAcrossParts() =>
        Assert.False(Fires("text: { mentions: [helloworld] }", Case(summary: "hello", conversation: ["world"])));
}
