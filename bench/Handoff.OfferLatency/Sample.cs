namespace Handoff.OfferLatency;

/// <summary>One iteration's times in milliseconds, each from the moment the agent started sending the case unless named otherwise.</summary>
internal sealed record Sample(
    double SubmitAnswered,
    double OfferCommitted,
    double ToastInDom,
    double ToastFrame,
    double KeyToAccepted,
    double PressToAccepted,
    double Total,
    double ServerCreatedToOffered,
    double CreatedCommitted,
    double RouterWakeAndRead,
    double OfferWrite);
