namespace Handoff.Core.Policy;

/// <summary>The policy a new workspace starts with, and the reference example in docs/policy.md.</summary>
public static class BuiltInPolicy
{
    public const string Yaml = """
        defaults:
          confidenceFloor: 0.75      # a proposal below the floor needs a person
          lowConfidence: review      # outcome for that case (review | escalate)
          team: support
        rules:
          - id: medical-legal
            when:
              any:
                - facts.topic: { in: [medical, legal] }
                - text: { mentions: [lawyer, lawsuit, attorney, diagnosis, prescription] }
            outcome: escalate
            pinned: true
            team: specialists
            priority: high
            reason: Medical or legal questions always go to a person.
          - id: high-value
            when:
              facts.amount: { gt: 1000 }
            outcome: review
            team: sales
            reason: Deals above 1,000 need a person's review.
          - id: returning-customer
            when:
              subject.returning: { eq: true }
            confidenceFloor: 0.6
            reason: Returning customers get more autonomy.

        """;
}
