namespace Handoff.Server.Notifications;

/// <summary>How events leave the server: the dispatcher reading the audit log, and the delivery workers.</summary>
public sealed class NotificationOptions
{
    /// <summary>How often the dispatcher looks for new audit entries when it found none. <value>The default value is 200 ms.</value></summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most audit entries one dispatch reads and fans out in one write. <value>The default value is 500.</value></summary>
    public int DispatchBatch { get; set; } = 500;

    /// <summary>
    /// How long a node holds a delivery it is attempting; if it dies, another node attempts it once this has passed.
    /// Longer than any attempt may take (webhooks time out after 15 s). <value>The default value is 60 seconds.</value>
    /// </summary>
    public TimeSpan DeliveryLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether this node sends the outbox's messages (runs a delivery worker). Every node that does shares the work
    /// through leases; a node may leave it to the others (tests that send by hand do). <value>The default value is true.</value>
    /// </summary>
    public bool Deliver { get; set; } = true;

    /// <summary>
    /// How many deliveries one node attempts at once; as one ends the next due one starts. Each holds a connection for at
    /// most the webhook timeout. <value>The default value is 64.</value>
    /// </summary>
    public int DeliveryParallelism { get; set; } = 64;

    /// <summary>The longest a delivery worker sleeps before looking for due deliveries (another node's). <value>The default value is 1 second.</value></summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A webhook endpoint that has failed every attempt for this long is disabled and the admins told.
    /// <value>The default value is 5 days.</value>
    /// </summary>
    public TimeSpan DisableEndpointsFailingFor { get; set; } = TimeSpan.FromDays(5);

    /// <summary>
    /// The address people open the dashboard at (e.g. <c>https://handoff.example.com</c>), for the links in
    /// notifications. <value>The default value is null: links are relative (<c>/cases/cs_…</c>).</value>
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The dashboard's page for a case, absolute when <see cref="PublicUrl"/> is set.</summary>
    public string CaseLink(string caseId) => $"{PublicUrl?.TrimEnd('/')}/cases/{Uri.EscapeDataString(caseId)}";
}
