from django.urls import path

from brands import practitioner_views, views

app_name = "brands"

urlpatterns = [
    # Public
    path("", views.showcase, name="showcase"),
    path("news/", views.news_list, name="news_list"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("logo/<int:pk>/", views.brand_logo, name="logo"),
    # County officials
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.brand_create, name="brand_create"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.brand_update, name="brand_update"),
    path("manage/<int:pk>/submit/", views.brand_submit, name="brand_submit"),
    path("manage/<int:pk>/standards/new/", views.standard_create, name="standard_create"),
    path("manage/<int:pk>/standards/<int:standard_pk>/edit/", views.standard_update, name="standard_update"),
    path(
        "manage/<int:pk>/standards/<int:standard_pk>/delete/", views.standard_delete, name="standard_delete"
    ),
    path(
        "manage/<int:pk>/standards/<int:standard_pk>/move-up/",
        views.standard_move_up,
        name="standard_move_up",
    ),
    path(
        "manage/<int:pk>/standards/<int:standard_pk>/move-down/",
        views.standard_move_down,
        name="standard_move_down",
    ),
    # A brand's practitioner register
    path("manage/<int:pk>/practitioners/", practitioner_views.practitioner_list, name="practitioner_list"),
    path(
        "manage/<int:pk>/practitioners/new/",
        practitioner_views.practitioner_create,
        name="practitioner_create",
    ),
    path(
        "manage/<int:pk>/practitioners/<int:practitioner_pk>/edit/",
        practitioner_views.practitioner_update,
        name="practitioner_update",
    ),
    path(
        "manage/<int:pk>/practitioners/<int:practitioner_pk>/remove/",
        practitioner_views.practitioner_remove,
        name="practitioner_remove",
    ),
    path("manage/news/", views.news_manage_list, name="news_manage_list"),
    path("manage/news/new/", views.news_create, name="news_create"),
    path("manage/news/<int:pk>/edit/", views.news_update, name="news_update"),
    path("manage/news/<int:pk>/publish/", views.news_publish, name="news_publish"),
    path("manage/news/<int:pk>/unpublish/", views.news_unpublish, name="news_unpublish"),
    # City admins
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/accept/", views.brand_accept, name="brand_accept"),
    path("review/<int:pk>/return/", views.brand_return, name="brand_return"),
    path("review/<int:pk>/reject/", views.brand_reject, name="brand_reject"),
    path("review/<int:pk>/recognise/", views.brand_recognise, name="brand_recognise"),
    path("review/<int:pk>/retire/", views.brand_retire, name="brand_retire"),
    path("overview/", views.county_overview, name="county_overview"),
    path("criteria/", views.criteria_edit, name="criteria"),
    # Last: a brand's own page, e.g. /brands/金寨红嫂家政/
    path("<str:slug>/", views.brand_detail, name="brand_detail"),
]
