"""factory-boy factories for the claim domain; history rows are written as the services would."""

import hashlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims.models import Article, ArticleRevision, Citation, Claim, ClaimCitation, ClaimRelation, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Outlet {n}")
    kind = Source.Kind.NEWSPAPER
    reliability = Source.Reliability.GENERALLY_RELIABLE
    grade = "B"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    url = factory.Sequence(lambda n: f"https://example.org/article/{n}")


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleRevision

    article = factory.SubFactory(ArticleFactory)
    text = factory.Sequence(lambda n: f"Article {n}\nOn 28 November, HTS captured village number {n}. [1]\n")
    sha256 = factory.LazyAttribute(lambda r: hashlib.sha256(r.text.encode()).hexdigest())


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    article = factory.SubFactory(ArticleFactory)
    label = factory.Sequence(lambda n: str(n + 1))
    kind = Citation.Kind.REFERENCE


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    revision = factory.SubFactory(RevisionFactory)
    article = factory.SelfAttribute("revision.article")
    text = factory.Sequence(lambda n: f"On 28 November, HTS captured village number {n}.")
    paragraph_index = 0
    sentence_index = factory.Sequence(lambda n: n)
    start = 0
    end = factory.LazyAttribute(lambda c: len(c.text))
    status = Claim.Status.UNREVIEWED
    created_by = factory.SubFactory(UserFactory, role="Editor")
    last_edited_by = factory.SelfAttribute("created_by")


class ClaimCitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimCitation

    claim = factory.SubFactory(ClaimFactory)
    citation = factory.SubFactory(CitationFactory, article=factory.SelfAttribute("..claim.article"))


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimRelation

    claim_a = factory.SubFactory(ClaimFactory)
    claim_b = factory.SubFactory(ClaimFactory, revision=factory.SelfAttribute("..claim_a.revision"))
    kind = ClaimRelation.Kind.CONFLICTS
    state = ClaimRelation.State.SUGGESTED
