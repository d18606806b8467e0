using System.Globalization;
using System.Text.Json.Nodes;

namespace Handoff.Browser.Tests.Infrastructure;

/// <summary>Case bodies as agents send them, each one the built-in policy hands to a person.</summary>
internal static class Cases
{
    /// <summary>A refund above 1,000: the built-in policy's high-value rule sends it to review, team sales.</summary>
    public static JsonObject Refund(int amount = 2500, string customer = "Tom Baker", string order = "B-1042") => Parse($$"""
        {"kind":"action","summary":"Refund {{amount.ToString("N0", CultureInfo.InvariantCulture)}} for a broken espresso machine",
         "channel":"email","subject":{"id":"cust-{{order}}","name":"{{customer}}","plan":"business"},"facts":{"amount":{{amount}},"orderId":"{{order}}"},
         "conversation":[{"role":"customer","text":"The machine arrived broken. I want my money back."},
                         {"role":"agent","text":"I am sorry to hear that. Let me look at order {{order}}."}],
         "proposal":{"text":"I have refunded {{amount}} to your card.","action":{"name":"issue_refund","arguments":{"orderId":"{{order}}","amount":{{amount}} } },"confidence":0.9},
         "options":[{"text":"We will send a replacement machine.","action":{"name":"ship_replacement","arguments":{"orderId":"{{order}}"} } }],
         "expiresIn":"1h"}
        """);

    /// <summary>A legal question: the pinned medical-legal rule escalates it to the specialists at high priority.</summary>
    public static JsonObject Legal(string customer = "Dana Scully") => Parse($$"""
        {"kind":"reply","summary":"Customer threatens a lawsuit over a late delivery","subject":{"id":"cust-77","name":"{{customer}}"},
         "facts":{"topic":"legal"},
         "conversation":[{"role":"customer","text":"My lawyer will hear about this delivery."}],
         "proposal":{"text":"I understand your frustration; a colleague will call you today.","confidence":0.8},
         "expiresIn":"30m"}
        """);

    /// <summary>A reply the agent is unsure of: below the 0.75 confidence floor, so it goes to review.</summary>
    public static JsonObject Unsure(string customer = "Fox Mulder") => Parse($$"""
        {"kind":"reply","summary":"Can I change the delivery address?","subject":{"id":"cust-12","name":"{{customer}}"},
         "facts":{"topic":"delivery"},
         "conversation":[{"role":"customer","text":"Can you send it to my office instead?"}],
         "proposal":{"text":"Yes, I have changed the address to your office.","confidence":0.55},
         "expiresIn":"2h"}
        """);

    /// <summary>A billing complaint the agent is unsure of: below the confidence floor, so it goes to review, team support.</summary>
    public static JsonObject Billing(string customer = "Clara Oswald") => Parse($$"""
        {"kind":"reply","summary":"Charged twice for one order","subject":{"id":"cust-31","name":"{{customer}}"},
         "facts":{"topic":"billing"},
         "conversation":[{"role":"customer","text":"My card was charged twice for the same order."}],
         "proposal":{"text":"That is how our billing works; both charges are correct.","confidence":0.6},
         "expiresIn":"2h"}
        """);

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
