from django.contrib.auth import views as auth_views
from django.urls import path

from .views import dashboard, organizations, resources, spreadsheets

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("healthz", dashboard.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("public/", dashboard.public_registry, name="public"),
    path("orgs/", organizations.org_tree, name="org-tree"),
    path("orgs/<int:pk>/", organizations.org_detail, name="org-detail"),
    path("orgs/<int:pk>/edit/", organizations.org_edit, name="org-edit"),
    path("orgs/<int:parent_pk>/new/", organizations.org_create, name="org-create"),
    path("orgs/<int:pk>/move/", organizations.org_move, name="org-move"),
    path("orgs/<int:org_pk>/people/new/", organizations.person_edit, name="person-create"),
    path("orgs/<int:org_pk>/people/<int:pk>/", organizations.person_edit, name="person-edit"),
    path("orgs/<int:org_pk>/resources/new/", resources.resource_create, name="resource-create"),
    path("resources/", resources.resource_list_view, name="resource-list"),
    path("resources/new/", resources.resource_create, name="resource-choose-org"),
    path("resources/<int:pk>/", resources.resource_detail, name="resource-detail"),
    path("resources/<int:pk>/edit/", resources.resource_edit, name="resource-edit"),
    path("resources/<int:pk>/file/", resources.resource_file, name="resource-file"),
    path("resources/<int:pk>/observations/new/", resources.observation_create,
         name="observation-create"),
    path("resources/<int:pk>/issues/new/", resources.print_issue_create,
         name="print-issue-create"),
    path("resources/<int:pk>/issues/<int:issue_pk>/file/", resources.print_issue_file,
         name="print-issue-file"),
    path("import/", spreadsheets.import_upload, name="import"),
    path("import/commit/", spreadsheets.import_commit, name="import-commit"),
    path("import/template.xlsx", spreadsheets.import_template, name="import-template"),
    path("export/", spreadsheets.export_page, name="export"),
    path("export/<str:dataset>.<str:fmt>", spreadsheets.export_file, name="export-file"),
]
