namespace Handoff.Server.Notifications.Webhooks;

/// <summary>A webhook's host resolved only to addresses the <c>WebhookAddressPolicy</c> refuses; nothing was connected to.</summary>
internal sealed class RefusedAddressException(string message) : Exception(message);
