from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("authors/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("preview/share/<str:token>/", views.share_preview, name="share_preview"),
    path("<slug:slug>/", views.CategoryDetailView.as_view(), name="category"),
    path(
        "<slug:category_slug>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
