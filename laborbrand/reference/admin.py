from django.contrib import admin

from laborbrand.reference import models


@admin.register(models.Province, models.City, models.SkillLevel, models.OccupationCategory)
class CodedAdmin(admin.ModelAdmin):
    pass


@admin.register(models.County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city"]


@admin.register(models.Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["name", "county"]
    list_filter = ["county"]


@admin.register(models.Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "code"]
    list_filter = ["category"]
    search_fields = ["name", "code"]
