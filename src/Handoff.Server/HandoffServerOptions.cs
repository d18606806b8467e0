namespace Handoff.Server;

/// <summary>How one Handoff server runs. Validated on start.</summary>
public sealed class HandoffServerOptions
{
    /// <summary>Folder holding the SQLite database (<c>handoff.db</c>) and the sign-in keys. Created when missing. Required.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>
    /// A PostgreSQL database to keep everything in instead of the data directory: a <c>postgres://user@host:port/db</c>
    /// URL or an Npgsql connection string. Any number of nodes may share one. <value>The default value is null: the
    /// SQLite file in <see cref="DataDirectory"/>.</value>
    /// </summary>
    public string? Store { get; set; }

    /// <summary>Whether <see cref="Store"/> names a PostgreSQL database.</summary>
    public bool UsesPostgres => !string.IsNullOrWhiteSpace(Store);

    /// <summary>The workspace created on a fresh install. <value>The default value is <c>default</c>.</value></summary>
    public string DefaultWorkspace { get; set; } = "default";

    /// <summary>
    /// A policy YAML file published to the default workspace on start when it differs from the current version.
    /// <value>The default value is null: a fresh install gets the built-in policy.</value>
    /// </summary>
    public string? PolicyFile { get; set; }

    /// <summary>Largest request body accepted, in bytes. <value>The default value is 1 MiB.</value></summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest <c>?wait=</c> a long-poll may ask for, in seconds. <value>The default value is 300.</value></summary>
    public int MaxWaitSeconds { get; set; } = 300;

    /// <summary>How long a server-sent event stream stays quiet before a keep-alive comment. <value>The default value is 15 s.</value></summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest the expiry and SLA workers sleep between looks at the clock. <value>The default value is 1 s.</value></summary>
    public TimeSpan ExpiryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the routing worker looks again at every workspace it has heard of, besides the signals it gets (a case
    /// created or freed, a presence change): what another node changed, and people turning away as time passes.
    /// <value>The default value is 5 s.</value>
    /// </summary>
    public TimeSpan RoutingSweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the server adds the cases closed since its last look to the overview's daily roll-ups (at once again
    /// while there is a backlog, as after an upgrade); zero turns the worker off on this node — the overview stays
    /// right, reading what the roll-ups have not reached case by case. <value>The default value is 10 s.</value>
    /// </summary>
    public TimeSpan RollUpInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often a node looks for audit entries to seal, when the store writes them unsealed (PostgreSQL): the longest
    /// an entry waits for its place in the chain while the sealer keeps up, and so how late the outbox, the workspace's
    /// event stream and the roll-ups see it. Zero turns sealing off on this node (another node must seal).
    /// <value>The default value is 100 ms.</value>
    /// </summary>
    public TimeSpan AuditSealInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often the server writes a signed checkpoint of the audit log when the log has grown (and once on start);
    /// zero turns them off. <value>The default value is 1 hour.</value>
    /// </summary>
    public TimeSpan AuditCheckpointInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Where checkpoints are written. Copy them off the machine: they prove the log's past only while kept where the
    /// database's users cannot change them. <value>The default value is null: <c>checkpoints</c> in
    /// <see cref="DataDirectory"/>.</value>
    /// </summary>
    public string? AuditCheckpointDirectory { get; set; }

    /// <summary>How many checkpoint files the server keeps; older ones are deleted. <value>The default value is 168 (a week of hourly checkpoints).</value></summary>
    public int AuditCheckpointsKept { get; set; } = 168;

    /// <summary>
    /// The PEM file with the key that signs checkpoints, created (owner read/write only) on first use. Keep it out of
    /// the database and its backups. <value>The default value is null: <c>audit-signing.pem</c> in <see cref="DataDirectory"/>.</value>
    /// </summary>
    public string? AuditSigningKeyFile { get; set; }

    /// <summary>
    /// How long a case a person claimed stays theirs once no dashboard of theirs is open (the browser closed, the
    /// network went): then it goes back to the queue. A team's own <c>IdleClaimTimeout</c> replaces it for the team's
    /// cases (counting for at least two <see cref="ClaimRenewalInterval"/>s). Claims made with API keys are not affected.
    /// <value>The default value is 2 minutes.</value>
    /// </summary>
    public TimeSpan ClaimGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How often an open dashboard tells the store its person is still there (one write at most per interval, and
    /// only while they hold a case); also the longest the release worker sleeps. Must be shorter than
    /// <see cref="ClaimGracePeriod"/>. <value>The default value is 30 s.</value>
    /// </summary>
    public TimeSpan ClaimRenewalInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sign-ins, right or wrong, one client address may make for one account within <see cref="SignInWindow"/>; beyond
    /// them that address is refused (429) for that account until the window ends, even with the right password, while
    /// every other address still signs in. <value>The default value is 10.</value>
    /// </summary>
    public int SignInAttemptsPerAccount { get; set; } = 10;

    /// <summary>
    /// Wrong passwords one client address may give, for any accounts, within <see cref="SignInWindow"/>; beyond them
    /// that address is refused (429) until the window ends. <value>The default value is 30.</value>
    /// </summary>
    public int FailedSignInsPerAddress { get; set; } = 30;

    /// <summary>The window the sign-in limits count in. <value>The default value is 15 minutes.</value></summary>
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Unknown or revoked API keys one client address may send within <see cref="FailedKeyCheckWindow"/>; beyond them
    /// every request from that address carrying a key is refused (429) until the window ends.
    /// <value>The default value is 30.</value>
    /// </summary>
    public int FailedKeyChecksPerAddress { get; set; } = 30;

    /// <summary>The window <see cref="FailedKeyChecksPerAddress"/> counts in. <value>The default value is 1 minute.</value></summary>
    public TimeSpan FailedKeyCheckWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How events leave the server: webhooks, callbacks and notifications (see docs/notifications.md).</summary>
    public Notifications.NotificationOptions Notifications { get; set; } = new();

    /// <summary>The learned gate's background training (section <c>Handoff:Learning</c>).</summary>
    public Learning.LearningOptions Learning { get; set; } = new();

    /// <summary>Which web pages may call the API from a browser (section <c>Handoff:Cors</c>); off by default.</summary>
    public Api.CorsOptions Cors { get; set; } = new();

    public string DatabasePath => Path.Combine(DataDirectory, "handoff.db");

    internal string CheckpointFolder => AuditCheckpointDirectory ?? Path.Combine(DataDirectory, "checkpoints");

    internal string AuditSigningKeyPath => AuditSigningKeyFile ?? Path.Combine(DataDirectory, Audit.AuditSigningKey.DefaultFileName);

    internal void Validate()
    {
        Cors.Validate();
        Learning.Validate();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new InvalidOperationException("A data directory is required (--data DIR).");
        }

        if (UsesPostgres)
        {
            try
            {
                Storage.Postgres.PostgresConnection.ToConnectionString(Store!);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"--store: {e.Message}", e);
            }
        }

        if (PolicyFile is not null && !File.Exists(PolicyFile))
        {
            throw new InvalidOperationException($"Policy file '{PolicyFile}' does not exist.");
        }

        if (MaxRequestBodyBytes < 1024 || MaxWaitSeconds < 0 || KeepAliveInterval <= TimeSpan.Zero || ExpiryPollInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Server limits must be positive (body at least 1 KiB).");
        }

        if (RollUpInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException("The roll-up interval must not be negative.");
        }

        if (AuditSealInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException("The audit sealing interval must not be negative.");
        }

        if (AuditCheckpointInterval < TimeSpan.Zero || AuditCheckpointsKept < 1)
        {
            throw new InvalidOperationException("The checkpoint interval must not be negative, and at least one checkpoint must be kept.");
        }

        if (ClaimRenewalInterval <= TimeSpan.Zero || ClaimGracePeriod <= ClaimRenewalInterval)
        {
            throw new InvalidOperationException("The claim renewal interval must be positive and shorter than the claim grace period.");
        }

        if (SignInAttemptsPerAccount < 1 || FailedSignInsPerAddress < 1 || FailedKeyChecksPerAddress < 1
            || SignInWindow <= TimeSpan.Zero || FailedKeyCheckWindow <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("The limits on guessing passwords and keys must be positive.");
        }
    }
}
