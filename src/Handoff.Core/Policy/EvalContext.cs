using Handoff.Core.Cases;

namespace Handoff.Core.Policy;

/// <summary>
/// One evaluation's view of a case. It exists so the <c>text</c> corpus is built at most once, and only when a
/// condition asks for it; a new context per evaluation keeps <see cref="CompiledPolicy"/> free of shared state.
/// </summary>
internal sealed class EvalContext(CaseContent content)
{
    private string? _text;

    public CaseContent Content { get; } = content;

    /// <summary>The summary, every conversation message and the proposal text, one per line.</summary>
    public string Text => _text ??= BuildText(Content);

    private static string BuildText(CaseContent content)
    {
        var length = 0;
        var parts = 0;
        Count(content.Summary);
        foreach (var message in content.Conversation)
        {
            Count(message.Text);
        }

        Count(content.Proposal?.Text);
        if (parts == 0)
        {
            return string.Empty;
        }

        return string.Create(length + parts - 1, content, static (span, content) =>
        {
            var position = 0;
            Append(span, ref position, content.Summary);
            foreach (var message in content.Conversation)
            {
                Append(span, ref position, message.Text);
            }

            Append(span, ref position, content.Proposal?.Text);
        });

        void Count(string? part)
        {
            if (!string.IsNullOrEmpty(part))
            {
                length += part.Length;
                parts++;
            }
        }

        static void Append(Span<char> span, ref int position, string? part)
        {
            if (string.IsNullOrEmpty(part))
            {
                return;
            }

            if (position > 0)
            {
                span[position++] = '\n';
            }

            part.CopyTo(span[position..]);
            position += part.Length;
        }
    }
}
