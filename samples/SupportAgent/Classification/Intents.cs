namespace Handoff.Samples.SupportAgent.Classification;

/// <summary>
/// The 27 intents the agent knows: the label set of the Bitext customer-support data set, so that the classifier can
/// be trained on it or on the conversations this sample ships, with one playbook for both. Each belongs to a topic
/// (Bitext's categories), which the agent sends to Handoff as <c>facts.topic</c>.
/// </summary>
internal static class Intents
{
    public static readonly IReadOnlyDictionary<string, string> Topics = new Dictionary<string, string>
    {
        ["cancel_order"] = "order",
        ["change_order"] = "order",
        ["place_order"] = "order",
        ["change_shipping_address"] = "shipping_address",
        ["set_up_shipping_address"] = "shipping_address",
        ["check_cancellation_fee"] = "cancellation_fee",
        ["check_invoice"] = "invoice",
        ["get_invoice"] = "invoice",
        ["check_payment_methods"] = "payment",
        ["payment_issue"] = "payment",
        ["check_refund_policy"] = "refund",
        ["get_refund"] = "refund",
        ["track_refund"] = "refund",
        ["complaint"] = "feedback",
        ["review"] = "feedback",
        ["contact_customer_service"] = "contact",
        ["contact_human_agent"] = "contact",
        ["create_account"] = "account",
        ["delete_account"] = "account",
        ["edit_account"] = "account",
        ["recover_password"] = "account",
        ["registration_problems"] = "account",
        ["switch_account"] = "account",
        ["delivery_options"] = "delivery",
        ["delivery_period"] = "delivery",
        ["track_order"] = "delivery",
        ["newsletter_subscription"] = "newsletter",
    };

    public static IEnumerable<string> All => Topics.Keys;

    public static bool IsKnown(string intent) => Topics.ContainsKey(intent);
}
