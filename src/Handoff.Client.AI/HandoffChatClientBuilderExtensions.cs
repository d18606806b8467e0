using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Client.AI;

/// <summary>Adds Handoff approvals to a chat pipeline.</summary>
public static class HandoffChatClientBuilderExtensions
{
    /// <summary>
    /// Turns each tool call that needs approval into a Handoff case and answers the model with the outcome of the
    /// person's decision. Add it <em>before</em> <c>UseFunctionInvocation()</c>, so that it sits outside the function
    /// invoker: <c>builder.UseHandoffApprovals(handoff).UseFunctionInvocation()</c>.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="handoff">The client to submit cases with; without one, the pipeline's services must hold a <see cref="HandoffClient"/>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static ChatClientBuilder UseHandoffApprovals(
        this ChatClientBuilder builder, HandoffClient? handoff = null, Action<HandoffApprovalOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new HandoffApprovalOptions();
        configure?.Invoke(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaximumRounds, 1, nameof(options.MaximumRounds));
        return builder.Use((inner, services) =>
            new HandoffApprovalChatClient(inner, handoff ?? services.GetRequiredService<HandoffClient>(), options));
    }
}
