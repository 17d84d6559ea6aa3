"""Writes to a quote's sign-off, which keep its record of who changed it."""

from django.db import transaction

from .models import Quote, SignOff


def quote_record_sign_off(
    *, quote: Quote, from_status: str, by, note: str = ""
) -> SignOff | None:
    """Record the sign-off change just saved; None when the status did not change."""
    if quote.status == from_status:
        return None
    return SignOff.objects.create(
        quote=quote, from_status=from_status, to_status=quote.status, by=by, note=note
    )


@transaction.atomic
def quote_reopen_sign_off(*, quote: Quote, by) -> Quote:
    """Take back the expert's sign-off so the words can change; they must be sent and
    approved again. Recorded, and the approval's date and recorder are cleared."""
    quote = Quote.objects.select_for_update().get(pk=quote.pk)
    from_status = quote.status
    quote.status = Quote.Status.NOT_SENT
    quote.approved_at = quote.approved_recorded_by = None
    quote.full_clean()
    quote.save()
    quote_record_sign_off(
        quote=quote, from_status=from_status, by=by, note="Sign-off reopened"
    )
    return quote
