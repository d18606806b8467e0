using System.Globalization;
using System.Text;
using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Core.Learning;

/// <summary>The text of a case that similarity compares, and the words a search for similar cases looks for.</summary>
public static class DecisionText
{
    /// <summary>The most characters of a case's text kept: enough for the gist of a long conversation.</summary>
    public const int MaxLength = 4000;

    /// <summary>The most words a search for similar cases uses: the longest (and so, mostly, the rarest) of the case's.</summary>
    public const int MaxTerms = 24;

    // Words too common in support conversations to tell cases apart.
    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "your", "yours", "all", "any", "can", "had", "her", "was", "one", "our", "out",
        "has", "have", "him", "his", "how", "its", "may", "new", "now", "see", "two", "way", "who", "did", "get", "got", "let", "say",
        "she", "too", "use", "that", "this", "with", "from", "they", "them", "then", "than", "there", "their", "what", "when", "where",
        "which", "while", "will", "would", "could", "should", "been", "being", "were", "into", "about", "just", "also", "some", "such",
        "only", "very", "more", "most", "much", "many", "here", "each", "does", "doing", "done", "want", "like", "please", "thanks",
        "thank", "hello", "know", "need", "help", "able", "because", "since", "after", "before", "over", "under", "again", "still",
        "yes", "okay", "sure", "hey",
    };

    /// <summary>The summary, the conversation (oldest first) and the proposal's text, one per line, at most <see cref="MaxLength"/> characters.</summary>
    public static string Of(CaseContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = new StringBuilder();
        Append(text, content.Summary);
        foreach (var message in content.Conversation)
        {
            Append(text, message.Text);
        }

        Append(text, content.Proposal?.Text);
        return text.Length > MaxLength ? text.ToString(0, MaxLength) : text.ToString();
    }

    /// <summary>The case's <c>facts.intent</c>, or else <c>facts.topic</c>, when a string; null otherwise.</summary>
    public static string? Intent(CaseContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Facts.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["intent", "topic"])
        {
            if (content.Facts.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 200 } intent)
            {
                return intent;
            }
        }

        return null;
    }

    /// <summary>
    /// The words to look for: letters and digits only, lower case, three characters or more, no stopwords, each once,
    /// the <see cref="MaxTerms"/> longest (ties in order of appearance). Safe to quote into a full-text query.
    /// </summary>
    public static IReadOnlyList<string> Terms(string text) => Terms(text, MaxTerms);

    /// <summary>As <see cref="Terms(string)"/>, keeping at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<string> Terms(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLower(c, CultureInfo.InvariantCulture));
                continue;
            }

            Take();
        }

        Take();
        return [.. words.Select((w, i) => (w, i)).OrderByDescending(static p => p.w.Length).ThenBy(static p => p.i).Take(max).Select(static p => p.w)];

        void Take()
        {
            if (word.Length is >= 3 and <= 40 && word.ToString() is var w && !Stopwords.Contains(w) && seen.Add(w))
            {
                words.Add(w);
            }

            word.Clear();
        }
    }

    private static void Append(StringBuilder text, string? part)
    {
        if (!string.IsNullOrWhiteSpace(part))
        {
            text.Append(part.Trim()).Append('\n');
        }
    }
}
