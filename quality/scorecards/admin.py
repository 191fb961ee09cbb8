"""QA in the admin: a client's rubric is published with its criteria and never edited afterwards (a change is
a new rubric: the next version, active from then on); sampling policies; reviews to read."""

from django.contrib import admin

from quality.scorecards import services
from quality.scorecards.models import Criterion, CriterionScore, Review, Rubric, SamplingPolicy


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 3
    fields = ["position", "label", "weight", "is_critical"]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["client", "version", "language", "is_active", "created_at"]
    list_filter = ["is_active", "client"]
    inlines = [CriterionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["client", "language", "version", "is_active"] if obj else ["version", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            services.activate_rubric(rubric=form.instance)


@admin.register(SamplingPolicy)
class SamplingPolicyAdmin(admin.ModelAdmin):
    list_display = ["client", "sample_percent"]


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "points"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["conversation", "client", "agent", "reviewer", "score", "status", "created_at"]
    list_filter = ["status", "client"]
    readonly_fields = [f.name for f in Review._meta.fields]
    inlines = [CriterionScoreInline]

    def has_add_permission(self, request) -> bool:
        return False
