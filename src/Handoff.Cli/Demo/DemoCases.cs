namespace Handoff.Cli.Demo;

/// <summary>Cases a support bot of a small online shop might send; written for the demo, not taken from any data set.</summary>
internal static class DemoCases
{
    public static readonly string[] All =
    [
        """
        {"kind":"reply","summary":"Where is my order?","channel":"chat",
         "subject":{"id":"cus_1001","name":"Ana Lima","returning":true,"tier":"gold"},
         "facts":{"topic":"shipping","orderId":"A-20931"},
         "conversation":[{"role":"customer","text":"Hi, my order A-20931 hasn't arrived yet."}],
         "proposal":{"text":"Your order A-20931 left our warehouse yesterday and should arrive on Thursday.","confidence":0.91}}
        """,
        """
        {"kind":"action","summary":"Refund a damaged espresso machine","channel":"email",
         "subject":{"id":"cus_2040","name":"Tom Becker","returning":false},
         "facts":{"topic":"refund","amount":1450,"currency":"EUR"},
         "conversation":[{"role":"customer","text":"The machine arrived with a cracked tank. I want my money back."}],
         "proposal":{"text":"I'm sorry about that. I've issued a full refund of 1,450 EUR.",
                     "action":{"name":"issue_refund","arguments":{"orderId":"B-11872","amount":1450,"currency":"EUR"}},"confidence":0.88},
         "options":[{"text":"I'm sorry about that. We'll send a replacement tank at no cost.",
                     "action":{"name":"ship_replacement","arguments":{"orderId":"B-11872","part":"water tank"}},"confidence":0.7}],
         "expiresIn":"4h","onTimeout":"escalate"}
        """,
        """
        {"kind":"question","summary":"Customer mentions a lawyer over a late delivery","channel":"chat",
         "subject":{"id":"cus_3300","name":"Priya Nair","returning":true},
         "facts":{"topic":"complaint"},
         "conversation":[{"role":"customer","text":"This is the third time. My lawyer says you owe me compensation."}],
         "proposal":{"text":"I understand your frustration. Let me connect you with a colleague who can help.","confidence":0.8}}
        """,
        """
        {"kind":"reply","summary":"Can I take ibuprofen with the supplement I bought?","channel":"chat",
         "subject":{"id":"cus_4012","name":"Lee Wong"},
         "facts":{"topic":"medical"},
         "conversation":[{"role":"customer","text":"Is it safe to take ibuprofen with your magnesium supplement?"}],
         "proposal":{"text":"Please ask your pharmacist or doctor before combining them.","confidence":0.62}}
        """,
        """
        {"kind":"reply","summary":"Change delivery address","channel":"voice",
         "subject":{"id":"cus_5120","name":"Maria Rossi","returning":false},
         "facts":{"topic":"shipping"},
         "conversation":[{"role":"customer","text":"Can you send my parcel to my office instead?"}],
         "proposal":{"text":"Sure, I've updated the address to your office.",
                     "action":{"name":"update_address","arguments":{"orderId":"C-7781","street":"Via Roma 12","city":"Milano"}},"confidence":0.55},
         "expiresIn":"30m","onTimeout":"reject"}
        """,
        """
        {"kind":"reply","summary":"Opening hours","channel":"chat",
         "subject":{"id":"cus_6001","name":"Sam Taylor"},
         "facts":{"topic":"store"},
         "conversation":[{"role":"customer","text":"When are you open on Saturdays?"}],
         "proposal":{"text":"We're open from 9:00 to 18:00 on Saturdays.","confidence":0.97}}
        """,
    ];
}
