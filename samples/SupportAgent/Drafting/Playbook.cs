using System.Globalization;
using System.Text.Json.Nodes;
using Handoff.Client;
using Handoff.Samples.SupportAgent.Classification;

namespace Handoff.Samples.SupportAgent.Drafting;

/// <summary>
/// What the shop's agent says and does for each intent: a reply, and for some intents a tool call (cancel, refund,
/// delete an account, send a reset link). The offline agent proposes these as they are; the chat-model agent writes
/// its own reply and keeps the tool call, so that what may touch money or data stays in code the business reviewed.
/// </summary>
internal static class Playbook
{
    private static readonly Dictionary<string, Play> Plays = new()
    {
        ["cancel_order"] = new("Cancel an order", r => r.HasOrder
            ? $"Hi {r.Name}, I've cancelled {r.Order}. You'll get a confirmation email shortly, and any payment is refunded within 5 working days."
            : $"Hi {r.Name}, I can cancel it for you: which order number is it?",
            r => r.HasOrder ? Call("cancel_order", ("orderId", r.Facts.OrderId)) : null),
        ["change_order"] = new("Change an order", r =>
            $"Hi {r.Name}, I can change {r.Order} until it ships. Tell me what you'd like to swap or add and I'll update it right away."),
        ["change_shipping_address"] = new("Change a delivery address", r =>
            $"Hi {r.Name}, I can update the delivery address for {r.Order} as long as it hasn't shipped. Please send me the full new address."),
        ["check_cancellation_fee"] = new("Cancellation fee", r =>
            $"Hi {r.Name}, cancelling is free until an order ships. After that, returns are free within 30 days; only large furniture has a 25 EUR collection fee."),
        ["check_invoice"] = new("Invoice question", r =>
            $"Hi {r.Name}, all your invoices are under My account › Orders; each shows the items, the VAT and how you paid."),
        ["check_payment_methods"] = new("Payment methods", r =>
            $"Hi {r.Name}, we accept Visa, Mastercard, American Express, PayPal, Klarna and bank transfer."),
        ["check_refund_policy"] = new("Refund policy", r =>
            $"Hi {r.Name}, you can return anything within 30 days for a full refund, paid 5–7 working days after the return arrives. Opened supplements can't be returned."),
        ["complaint"] = new("Complaint", r =>
            $"I'm really sorry, {r.Name}. I've logged your complaint about {r.Order}, and our customer care team will follow up within one working day.",
            Options: r => [new Proposal
            {
                Text = $"I'm really sorry, {r.Name}. As an apology, here's a 15 EUR voucher for your next order; our customer care team will also follow up within one working day.",
                Action = Call("issue_voucher", ("customerId", r.Customer.Id), ("amount", 15m), ("currency", "EUR")),
                Confidence = 0.5,
            }]),
        ["contact_customer_service"] = new("Contact customer service", r =>
            $"Hi {r.Name}, you can reach our team here in the chat, at support@northwind.example, or on +49 30 1234 5678, Monday to Saturday from 8:00 to 20:00."),
        ["contact_human_agent"] = new("Asks for a person", r =>
            $"Of course, {r.Name}. I'm handing you over to a colleague now; they'll see our conversation so far.",
            Kind: CaseKind.Handoff),
        ["create_account"] = new("Create an account", r =>
            $"Hi {r.Name}, you can create an account at northwind.example/register: it takes a minute and keeps your orders and addresses in one place."),
        ["delete_account"] = new("Delete an account", r =>
            $"Hi {r.Name}, I've started deleting your account. You'll get an email to confirm, and your personal data is erased within 30 days.",
            r => Call("delete_account", ("customerId", r.Customer.Id))),
        ["delivery_options"] = new("Delivery options", r =>
            $"Hi {r.Name}, we ship standard (3–5 working days, free above 50 EUR), express (1–2 working days, 9.90 EUR) or to a pick-up point."),
        ["delivery_period"] = new("Delivery time", r =>
            $"Hi {r.Name}, standard delivery takes 3–5 working days inside the EU and express 1–2; large furniture can take up to 10 days."),
        ["edit_account"] = new("Edit an account", r =>
            $"Hi {r.Name}, you can change your name, email and phone number under My account › Profile. If you can't get in, tell me and I'll help."),
        ["get_invoice"] = new("Send an invoice", r => r.HasOrder
            ? $"Hi {r.Name}, I've emailed you the invoice for {r.Order}."
            : $"Hi {r.Name}, which order would you like the invoice for?",
            r => r.HasOrder ? Call("send_invoice", ("orderId", r.Facts.OrderId)) : null),
        ["get_refund"] = new("Refund request", r => !r.HasOrder
            ? $"Hi {r.Name}, I'm sorry about that. Which order number is it? Then I can sort out your refund."
            : r.Facts.Amount is { } amount && !r.Facts.SeveralAmounts
                ? $"Hi {r.Name}, I'm sorry about that. I've issued a refund of {r.Money(amount)} for {r.Order}; it reaches your account in 5–7 working days."
                : $"Hi {r.Name}, I'm sorry about that. I've issued your refund for {r.Order}; it reaches your account in 5–7 working days.",

            // Several sums named: the person picks the amount; the agent does not guess.
            r => r.HasOrder ? Call("issue_refund", ("orderId", r.Facts.OrderId), ("amount", r.Facts.SeveralAmounts ? null : r.Facts.Amount), ("currency", r.Facts.Currency)) : null,
            Options: r => r.HasOrder && r.Facts.Amount is { } amount && !r.Facts.SeveralAmounts
                ?
                [
                    new Proposal
                    {
                        Text = $"Hi {r.Name}, I'm sorry about that. Instead of a refund I can offer store credit of {r.Money(Math.Round(amount * 1.1m, 2))}, 10% more, usable right away.",
                        Action = Call("issue_store_credit", ("customerId", r.Customer.Id), ("amount", Math.Round(amount * 1.1m, 2)), ("currency", r.Facts.Currency)),
                        Confidence = 0.4,
                    },
                ]
                : []),
        ["newsletter_subscription"] = new("Newsletter", r =>
            $"Hi {r.Name}, you can subscribe or unsubscribe in one click at the bottom of any of our emails, or under My account › Preferences."),
        ["payment_issue"] = new("Payment problem", r =>
            $"I'm sorry your payment didn't go through, {r.Name}. A failed payment takes no money; please try again, or choose PayPal or bank transfer at checkout."),
        ["place_order"] = new("Place an order", r =>
            $"Hi {r.Name}, I'd be glad to help. Add the items to your basket and check out, or tell me what you need and I'll put the order together for you."),
        ["recover_password"] = new("Reset a password", r =>
            $"Hi {r.Name}, I've sent a password reset link to the email on your account; it works for one hour.",
            r => Call("send_password_reset", ("customerId", r.Customer.Id))),
        ["registration_problems"] = new("Sign-up problem", r =>
            $"Sorry you're having trouble signing up, {r.Name}. Please check the confirmation email (and the spam folder); if the link expired, I can send a new one."),
        ["review"] = new("Feedback", r =>
            $"Thank you, {r.Name}! You can leave a review on the product page under Reviews, or reply here and I'll pass it on to the team."),
        ["set_up_shipping_address"] = new("Add an address", r =>
            $"Hi {r.Name}, you can add an address under My account › Addresses, or send it to me and I'll add it for you."),
        ["switch_account"] = new("Switch accounts", r =>
            $"Hi {r.Name}, to switch, sign out under My account and sign in with the other email. If an order went to the wrong account, tell me and I'll sort it out."),
        ["track_order"] = new("Where is my order", r =>
            $"Hi {r.Name}, {r.Order} has left our warehouse and is with the carrier; the tracking link is in your shipping email."),
        ["track_refund"] = new("Refund status", r =>
            // The agent cannot see payments, so it says how refunds go rather than claiming this one was paid.
            $"Hi {r.Name}, a refund for {r.Order} reaches your account 5–7 working days after we receive the return. If it has been longer, tell me and I'll ask our payments team to check."),
    };

    /// <summary>How a case is titled when the drafter is not sure what the customer wants (see <see cref="Plan"/>).</summary>
    internal const string UnsureTitle = "Unsure";

    private const int OpeningLength = 48;

    private static readonly Play Unknown = new(UnsureTitle, r =>
        $"Hi {r.Name}, thanks for your message. Let me check that and get back to you shortly.");

    /// <summary>The case for a conversation whose intent is <paramref name="facts"/>' intent, proposed with <paramref name="confidence"/>.</summary>
    /// <param name="reply">The reply to propose instead of the playbook's (a chat model's own words); the tool call stays the playbook's.</param>
    /// <param name="alternatives">Further intents worth offering the reviewer as options (the classifier's runners-up).</param>
    public static Draft Plan(Conversation conversation, CustomerFacts facts, double confidence, string? reply = null, IEnumerable<(string Intent, double Confidence)>? alternatives = null)
    {
        var play = Plays.GetValueOrDefault(facts.Intent, Unknown);
        var request = new Request(conversation.Customer, facts);
        var action = play.Action?.Invoke(request);
        var proposal = new Proposal { Text = reply ?? play.Reply(request), Action = action, Confidence = Truncated(confidence) };
        var options = play.Options?.Invoke(request).ToList() ?? [];
        foreach (var (intent, likelihood) in alternatives ?? [])
        {
            if (intent != facts.Intent && Plays.TryGetValue(intent, out var other))
            {
                var otherRequest = request with { Facts = facts with { Intent = intent } };
                options.Add(new Proposal { Text = other.Reply(otherRequest), Action = other.Action?.Invoke(otherRequest), Confidence = Truncated(likelihood) });
            }
        }

        var kind = play.Kind ?? (action is null ? CaseKind.Reply : CaseKind.Action);
        if (facts.Topic == "medical")
        {
            // Not the shop's to answer, whatever the intent: the agent proposes to hand over, and keeps its draft as
            // an option for the specialist who finds it fits after all.
            options.Insert(0, proposal);
            proposal = new Proposal { Text = MedicalHandover(request), Confidence = proposal.Confidence };
            kind = CaseKind.Handoff;
        }

        // The inbox is read by its titles, so a title names the intent only when the drafter is sure of it: a pregnancy
        // question titled "Change an order" misleads whoever reads it. Unsure, the customer's own words say what it is.
        // Its best guess still helps, said as a guess: "Unsure (change an order?)".
        var title = !Plays.ContainsKey(facts.Intent) ? null
            : proposal.Confidence >= Evaluation.ConfidentAt ? play.Title
            : $"{UnsureTitle} ({char.ToLowerInvariant(play.Title[0])}{play.Title[1..]}?)";
        return new Draft(kind, Summary(title, conversation, facts), facts, proposal, options);
    }

    /// <summary>
    /// The message for <paramref name="action"/> as a person edited it (a smaller refund, another order), worded by
    /// the play that proposed it; null when the action is not that play's or its arguments cannot be read.
    /// </summary>
    public static string? Reword(Conversation conversation, CustomerFacts facts, ToolCall action)
    {
        if (!Plays.TryGetValue(facts.Intent, out var play) || action.Arguments is not { } arguments)
        {
            return null;
        }

        // Worded from what will be run and nothing else: an argument the person removed is not mentioned.
        decimal? amount = null;
        if (arguments["amount"] is { } written)
        {
            if (written is not JsonValue number || !number.TryGetValue<decimal>(out var value))
            {
                return null;
            }

            amount = value;
        }

        var edited = facts with
        {
            Amount = amount,
            Currency = arguments["currency"] is JsonValue currency && currency.TryGetValue<string>(out var code) ? code : facts.Currency,
            OrderId = arguments["orderId"] is JsonValue order && order.TryGetValue<string>(out var id) ? id : null,
            SeveralAmounts = false,
        };
        var request = new Request(conversation.Customer, edited);
        return play.Action?.Invoke(request)?.Name == action.Name ? play.Reply(request) : null;
    }

    /// <summary>
    /// The argument <paramref name="call"/> cannot run without (a refund needs its order), or null. A person's edit
    /// may remove one; the agent then does nothing rather than refund an unknown order.
    /// </summary>
    public static string? MissingArgument(ToolCall call)
    {
        string[] required = call.Name switch
        {
            "cancel_order" or "issue_refund" or "send_invoice" => ["orderId"],
            "delete_account" or "send_password_reset" => ["customerId"],
            "issue_store_credit" or "issue_voucher" => ["customerId", "amount"],
            _ => [],
        };
        return required.FirstOrDefault(name => call.Arguments?[name] is null);
    }

    // Three decimals are plenty for a reviewer, but rounding to nearest could lift 0.7496 over a 0.75 floor.
    private static double Truncated(double confidence) => Math.Round(confidence, 3, MidpointRounding.ToZero);

    private static string MedicalHandover(Request request) =>
        $"Thanks for asking, {request.Name}. Questions about health and medicines deserve a proper answer, so I've asked a colleague to get back to you; please also check with your doctor or pharmacist.";

    public static bool Knows(string intent) => Plays.ContainsKey(intent);

    /// <summary>The title a case of <paramref name="intent"/> is summarised under, or null for an intent the playbook does not have.</summary>
    public static string? Title(string intent) => Plays.TryGetValue(intent, out var play) ? play.Title : null;

    private static string Summary(string? title, Conversation conversation, CustomerFacts facts)
    {
        var money = facts.Amount is { } amount ? $", {Request.Format(amount, facts.Currency)}" : "";
        var order = facts.OrderId is { } id ? $", order {id}" : "";
        var who = $"{conversation.Customer.Name}{order}{money}";
        return title is null || title.StartsWith(UnsureTitle, StringComparison.Ordinal)
            ? $"{title ?? UnsureTitle}: {who} — “{Opening(conversation.LastCustomerText)}”"
            : $"{title}: {who}";
    }

    /// <summary>The first words of <paramref name="text"/>, whole words up to about <see cref="OpeningLength"/> characters.</summary>
    internal static string Opening(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var opening = "";
        foreach (var word in words)
        {
            if (opening.Length > 0 && opening.Length + 1 + word.Length > OpeningLength)
            {
                return opening + "…";
            }

            opening = opening.Length == 0 ? word : $"{opening} {word}";
        }

        return opening;
    }

    // Arguments left out when unknown, so a reviewer sees what the agent did not know rather than a null.
    private static ToolCall Call(string name, params (string Name, object? Value)[] arguments)
    {
        var json = new JsonObject();
        foreach (var (argument, value) in arguments)
        {
            switch (value)
            {
                case string text: json[argument] = text; break;
                case decimal number: json[argument] = number; break;
            }
        }

        return new ToolCall(name, json);
    }

    private sealed record Play(
        string Title,
        Func<Request, string> Reply,
        Func<Request, ToolCall?>? Action = null,
        CaseKind? Kind = null,
        Func<Request, IEnumerable<Proposal>>? Options = null);

    private sealed record Request(Customer Customer, CustomerFacts Facts)
    {
        public string Name => Customer.FirstName;

        public bool HasOrder => Facts.OrderId is not null;

        public string Order => Facts.OrderId is { } id ? $"order {id}" : "your order";

        public string Money(decimal amount) => Format(amount, Facts.Currency);

        public static string Format(decimal amount, string? currency) =>
            amount.ToString(amount == decimal.Truncate(amount) ? "#,0" : "#,0.00", CultureInfo.InvariantCulture) + (currency is null ? "" : " " + currency);
    }
}
