from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from experts.models import Expert, Quote
from tests.factories import ExpertFactory, QuoteFactory


def make_expert(**kwargs):
    """An unsaved expert with only the given fields set."""
    fields = {"honorific": "", "name": "Amara Okafor", "slug": "amara-okafor"}
    fields.update(kwargs)
    return Expert(**fields)


def test_full_name_puts_the_honorific_first():
    assert make_expert(honorific="Dr").full_name == "Dr Amara Okafor"


def test_full_name_without_honorific_is_just_the_name():
    assert make_expert().full_name == "Amara Okafor"


def test_display_short_name_prefers_the_editors_choice():
    expert = make_expert(honorific="Dr", short_name="Dr Amara")

    assert expert.display_short_name == "Dr Amara"


def test_display_short_name_defaults_to_honorific_and_first_name():
    assert make_expert(honorific="Prof").display_short_name == "Prof Amara"


def test_display_short_name_defaults_to_first_name_without_honorific():
    assert make_expert().display_short_name == "Amara"


def test_display_short_name_is_empty_without_a_name():
    assert make_expert(name="").display_short_name == ""


def test_role_joins_job_title_and_organisation():
    expert = make_expert(
        job_title="Consultant Paediatrician", organisation="Riverside Hospital"
    )

    assert expert.role == "Consultant Paediatrician at Riverside Hospital"


@pytest.mark.parametrize(
    ("job_title", "organisation", "role"),
    [
        ("Health Visitor", "", "Health Visitor"),
        ("", "Riverside Hospital", "Riverside Hospital"),
        ("", "", ""),
    ],
)
def test_role_with_missing_parts_has_no_dangling_at(job_title, organisation, role):
    expert = make_expert(job_title=job_title, organisation=organisation)

    assert expert.role == role


def test_str_is_the_full_name():
    assert str(make_expert(honorific="Dr")) == "Dr Amara Okafor"


def test_absolute_url_is_the_expert_page():
    assert make_expert(slug="amara-okafor").get_absolute_url() == (
        "/experts/amara-okafor/"
    )


@pytest.mark.django_db
def test_bio_html_is_rendered_and_sanitised_on_save():
    expert = ExpertFactory(bio="Works with **newborns**.<script>alert(1)</script>")

    expert.refresh_from_db()
    assert "<strong>newborns</strong>" in expert.bio_html
    assert "<script" not in expert.bio_html


@pytest.mark.django_db
def test_bio_html_follows_an_edited_bio():
    expert = ExpertFactory(bio="Old bio.")

    expert.bio = "New *bio*."
    expert.save()

    expert.refresh_from_db()
    assert "<em>bio</em>" in expert.bio_html
    assert "Old" not in expert.bio_html


@pytest.mark.django_db
def test_quote_with_empty_text_cannot_be_saved():
    expert = ExpertFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(expert=expert, text="")

    assert not Quote.objects.exists()


@pytest.mark.django_db
def test_quote_with_empty_text_fails_validation():
    quote = Quote(expert=ExpertFactory(), text="")

    with pytest.raises(ValidationError) as excinfo:
        quote.full_clean()

    assert "text" in excinfo.value.message_dict


@pytest.mark.django_db
def test_quote_text_html_is_rendered_on_save():
    quote = QuoteFactory(text="Use a *fragrance-free* cream.")

    quote.refresh_from_db()
    assert "<em>fragrance-free</em>" in quote.text_html


@pytest.mark.django_db
def test_quote_reference_is_the_line_to_paste_in_a_body():
    quote = QuoteFactory()

    assert quote.reference == f"[[quote:{quote.pk}]]"


def test_unsaved_quote_has_no_reference():
    assert Quote(text="Not saved yet.").reference == ""


@pytest.mark.django_db
def test_quote_str_names_the_expert_and_the_id():
    quote = QuoteFactory(
        text="Most rashes settle on their own.", expert__short_name="Dr Amara"
    )

    assert str(quote) == f"Dr Amara: “Most rashes settle on their own.” (#{quote.pk})"


@pytest.mark.django_db
def test_quote_str_truncates_long_text():
    quote = QuoteFactory(text="word " * 40)

    assert len(str(quote)) < 100
    assert "…" in str(quote)


@pytest.mark.django_db
def test_expert_with_quotes_cannot_be_deleted():
    quote = QuoteFactory()

    with pytest.raises(ProtectedError):
        quote.expert.delete()

    assert Expert.objects.filter(pk=quote.expert_id).exists()
    assert Quote.objects.filter(pk=quote.pk).exists()


@pytest.mark.django_db
def test_expert_without_quotes_can_be_deleted():
    expert = ExpertFactory()

    expert.delete()

    assert not Expert.objects.exists()


@pytest.mark.django_db
def test_quotes_are_ordered_by_expert_name_then_newest_first():
    zara = ExpertFactory(name="Zara Adams")
    amara = ExpertFactory(name="Amara Okafor")
    old = QuoteFactory(expert=amara)
    new = QuoteFactory(expert=amara)
    other = QuoteFactory(expert=zara)
    Quote.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1)
    )

    assert list(Quote.objects.all()) == [new, old, other]


@pytest.mark.django_db
def test_new_quote_for_an_inactive_expert_is_refused_but_old_quotes_stay_valid():
    expert = ExpertFactory()
    old = QuoteFactory(expert=expert)
    expert.is_active = False
    expert.save()

    with pytest.raises(ValidationError) as excinfo:
        Quote(expert=expert, text="New words").full_clean()
    assert "inactive" in str(excinfo.value)
    old.full_clean()


# Active experts --------------------------------------------------------------------


@pytest.mark.django_db
def test_active_leaves_out_inactive_experts():
    active = ExpertFactory()
    ExpertFactory(is_active=False)

    assert list(Expert.objects.active()) == [active]


# Sign-off ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_new_quote_is_not_yet_sent():
    quote = Quote.objects.create(expert=ExpertFactory(), text="Words.")

    assert quote.status == Quote.Status.NOT_SENT
    assert (quote.sent_at, quote.approved_at, quote.withdrawn_at) == (None, None, None)
    assert not quote.is_approved and not quote.is_withdrawn


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "date_field"),
    [
        (Quote.Status.SENT, "sent_at"),
        (Quote.Status.APPROVED, "approved_at"),
        (Quote.Status.WITHDRAWN, "withdrawn_at"),
    ],
)
def test_each_sign_off_step_is_dated_today_when_no_date_is_given(status, date_field):
    quote = QuoteFactory(not_sent=True)

    quote.status = status
    quote.full_clean()
    quote.save()

    quote.refresh_from_db()
    assert getattr(quote, date_field) == timezone.localdate()


@pytest.mark.django_db
def test_saving_without_clean_dates_the_step_too():
    quote = Quote.objects.create(
        expert=ExpertFactory(), text="Words.", status=Quote.Status.APPROVED
    )

    assert quote.approved_at == timezone.localdate()


@pytest.mark.django_db
def test_a_sign_off_date_given_is_kept():
    sent_on = timezone.localdate() - timedelta(days=5)
    quote = QuoteFactory(not_sent=True)

    quote.status, quote.sent_at = Quote.Status.SENT, sent_on
    quote.full_clean()
    quote.save()

    quote.refresh_from_db()
    assert quote.sent_at == sent_on


@pytest.mark.django_db
def test_approval_keeps_the_date_it_was_sent():
    sent_on = timezone.localdate() - timedelta(days=5)
    quote = QuoteFactory(sent=True, sent_at=sent_on)

    quote.status = Quote.Status.APPROVED
    quote.full_clean()
    quote.save()

    quote.refresh_from_db()
    assert (quote.sent_at, quote.approved_at) == (sent_on, timezone.localdate())
    assert quote.is_approved


@pytest.mark.django_db
def test_withdrawn_quote_says_so():
    assert QuoteFactory(withdrawn=True).is_withdrawn


@pytest.mark.django_db
@pytest.mark.parametrize("date_field", ["sent_at", "approved_at", "withdrawn_at"])
def test_sign_off_date_in_the_future_is_refused(date_field):
    quote = QuoteFactory()
    setattr(quote, date_field, timezone.localdate() + timedelta(days=1))

    with pytest.raises(ValidationError) as excinfo:
        quote.full_clean()

    assert excinfo.value.message_dict == {date_field: ["This date is in the future."]}


@pytest.mark.django_db
def test_approval_before_the_words_were_sent_is_refused():
    today = timezone.localdate()
    quote = QuoteFactory(sent=True, sent_at=today)
    quote.status, quote.approved_at = Quote.Status.APPROVED, today - timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        quote.full_clean()

    assert "approved_at" in excinfo.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "date_field"),
    [("sent", "sent_at"), ("approved", "approved_at"), ("withdrawn", "withdrawn_at")],
)
def test_database_refuses_a_sign_off_step_without_its_date(status, date_field):
    quote = QuoteFactory(not_sent=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(status=status, **{date_field: None})


@pytest.mark.django_db
def test_an_experts_bio_takes_no_references():
    expert = ExpertFactory.build(bio="Quoted in [[article:12|our guide]].")

    with pytest.raises(ValidationError) as refused:
        expert.full_clean()

    assert "references work only in an article's body" in str(
        refused.value.message_dict["bio"]
    )
